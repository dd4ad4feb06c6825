import RocksGrammar
import ArgumentParser
import Projections
import Signing

/// `rocks list host attr [host...]`: `HOST ATTR VALUE`.
struct ListHostAttr: RocksCommand {
    static let configuration = CommandConfiguration(commandName: "attr", abstract: "List host attributes.",
                                                    discussion: "\(grammar.usage("rocks list host attr"))")
    static let grammar = Grammar.list

    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []

    func execute(_ arguments: RocksArguments, in context: CommandContext) throws {
        let output = try ListOutput(arguments)
        let session = try LedgerSession.reading(context)
        let rows = try session.views(at: arguments["at"]) { reader, txn in
            try reader.hosts(arguments.hosts, in: txn).flatMap { host in try reader.attributes(of: host.name, in: txn).map { (host.name, $0.name, $0.value) } }
        }
        if output.json {
            try output.print(json: rows.map { .object(["host": .string($0.0), "attr": .string($0.1), "value": .string($0.2)]) }, in: context)
            return
        }
        var table = RocksTable(header: ["host", "attr", "value"])
        for (host, name, value) in rows { table.add(owner: host, [name, value]) }
        try output.print(table, in: context)
    }
}
