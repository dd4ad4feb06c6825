import RocksGrammar
import ArgumentParser
import Ledger
import Transparency

/// `rocks ledger consistency`: the proof that the log only grew since a saved checkpoint.
struct LedgerConsistency: RocksCommand {
    static let configuration = CommandConfiguration(
        commandName: "consistency",
        abstract: "Write the proof that the log extends a checkpoint saved earlier.",
        discussion: """
            \(grammar.usage("rocks ledger consistency"))

            old= is a signed-note checkpoint of this ledger saved earlier (rocks ledger \
            checkpoint file=). The file has the layout of a c2sp.org/tlog-witness request: \
            'old <size>', the consistency proof (one base64 hash per line), a blank line, and \
            the newest signed checkpoint. Check it with rocks ledger verify-proof old=.
            """)
    static let grammar = Grammar(positional: ["old"], parameters: ["old=<checkpoint note>", "out=<path>"])

    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []

    func execute(_ arguments: RocksArguments, in context: CommandContext) throws {
        let path = try arguments.required("old", "must supply old=<a saved checkpoint note>")
        let note: SignedNote
        do {
            note = try SignedNote(parsing: KeyFiles.read(path, limit: SignedNote.sizeLimit))
        } catch let error as TransparencyError {
            throw CLIError("\(path): \(error.message)")
        }
        let proof = try LedgerSession.reading(context).ledger.consistencyProof(from: note)
        try ProofOutput.emit(proof.bytes, to: arguments["out"], what: "consistency proof from \(proof.oldSize) records", in: context)
    }
}
