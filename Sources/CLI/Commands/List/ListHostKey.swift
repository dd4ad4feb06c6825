import RocksGrammar
import ArgumentParser
import Signing

/// `rocks list host key`: Rocks' `HOST ID PUBLIC KEY` table, with each key's id.
struct ListHostKey: RocksCommand {
    static let configuration = CommandConfiguration(
        commandName: "key",
        abstract: "List hosts' public keys.",
        discussion: "\(grammar.usage("rocks list host key"))")
    static let grammar = Grammar.list

    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []

    func execute(_ arguments: RocksArguments, in context: CommandContext) throws {
        let output = try ListOutput(arguments)
        let session = try LedgerSession.reading(context)
        let keys = try session.views(at: arguments["at"]) { reader, txn in
            try reader.hostKeys(arguments.hosts, in: txn)
        }
        if output.json {
            try output.print(json: keys.map { host, key in
                .object(["host": .string(host), "id": .integer(key.number ?? 0), "key-id": .string(key.id.hex), "public-key": .string(key.pem)])
            }, in: context)
            return
        }
        var table = RocksTable(header: ["host", "id", "key-id", "public key"], trimOwner: false)
        for (host, key) in keys {
            // Rocks prints one row per PEM line, and its trailing empty line as dashes.
            for (index, line) in key.pem.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                if index == 0 {
                    table.add(owner: host, [String(key.number ?? 0), key.id.short, String(line)])
                } else {
                    table.add(owner: "", [" ", " ", String(line)])
                }
            }
        }
        try output.print(table, in: context)
    }
}
