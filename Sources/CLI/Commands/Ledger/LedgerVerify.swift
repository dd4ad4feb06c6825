import RocksGrammar
import ArgumentParser
import Ledger
import Signing

/// `rocks ledger verify`: checks every byte, every signature and every checkpoint.
struct LedgerVerify: RocksCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify the chain, every signature and every checkpoint.",
        discussion: """
            \(grammar.usage("rocks ledger verify"))

            Names the first bad record. Recomputes the Merkle tree from the records and checks \
            every stored node and every checkpoint's root. With since=, also proves the log only \
            grew since that checkpoint (a signed note written by 'rocks ledger checkpoint file=', \
            or a JSON checkpoint saved before the tree), so a cut or rewritten tail is caught.
            """)
    static let grammar = Grammar(positional: ["since"], optionalPositional: ["since"], parameters: ["since=<checkpoint file>"])

    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []

    func execute(_ arguments: RocksArguments, in context: CommandContext) throws {
        let since = try arguments["since"].map { path in try StoredCheckpoint(bytes: KeyFiles.read(path, limit: 8192)) }
        let report = try LedgerSession.reading(context).ledger.verify(since: since)
        var line = "verified \(report.records) records and \(report.checkpoints) checkpoints; head \(report.head)"
        if let since { line += "; grew from checkpoint \(since.sequence)" }
        context.print(line)
    }
}
