import RocksGrammar
import ArgumentParser
import Projections

/// `rocks dump`: the `rocks` commands that rebuild today's views on a fresh ledger.
struct Dump: RocksCommand {
    static let configuration = CommandConfiguration(
        commandName: "dump", abstract: "Print the rocks commands that rebuild today's state.",
        discussion: """
            \(grammar.usage("rocks dump"))

            Run the output with sh on a ledger made by 'rocks init' with the same arguments. \
            Everything the frontend decided (names, slices, MACs, IPs, UUIDs, key numbers) is \
            pinned, and the allocation marks are restored at the end.
            """)
    static let grammar = Grammar(parameters: ["at=<seq or time>"])

    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []

    func execute(_ arguments: RocksArguments, in context: CommandContext) throws {
        let session = try LedgerSession.reading(context)
        let commands = try session.views(at: arguments["at"]) { reader, txn in try reader.dump(in: txn) }
        for command in commands { context.print((["rocks"] + command.map(Self.quote)).joined(separator: " ")) }
    }

    /// Shell-quotes a word unless it is plainly safe.
    static func quote(_ word: String) -> String {
        let safe = !word.isEmpty && word.utf8.allSatisfy { c in
            (c >= 0x30 && c <= 0x39) || (c | 0x20 >= 0x61 && c | 0x20 <= 0x7a) || Array("_=./:,@+-".utf8).contains(c)
        }
        return safe ? word : "'" + word.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'"
    }
}
