import RocksGrammar
import ArgumentParser
import Projections
import Signing

/// `rocks list host`: every host, in the order it was added.
struct ListHost: RocksCommand {
    static let configuration = CommandConfiguration(
        commandName: "plain", abstract: "List hosts.",
        discussion: "\(grammar.usage("rocks list host"))", shouldDisplay: false)
    static let grammar = Grammar.list

    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []

    func execute(_ arguments: RocksArguments, in context: CommandContext) throws {
        let output = try ListOutput(arguments)
        let session = try LedgerSession.reading(context)
        let hosts = try session.views(at: arguments["at"]) { reader, txn in try reader.hosts(arguments.hosts, in: txn) }
        if output.json {
            try output.print(json: hosts.map { host in
                .object(["host": .string(host.name), "membership": .string(host.membership), "appliance": .string(host.appliance),
                         "cpus": .integer(host.cpus), "rack": .integer(host.rack), "rank": .integer(host.rank),
                         "runaction": .string(host.runAction), "installaction": .string(host.installAction), "boot": .string(host.bootAction)])
            }, in: context)
            return
        }
        var table = RocksTable(header: ["host", "membership", "cpus", "rack", "rank", "runaction", "installaction"])
        for host in hosts {
            table.add(owner: host.name, [host.membership, String(host.cpus), String(host.rack), String(host.rank), host.runAction, host.installAction])
        }
        try output.print(table, in: context)
    }
}
