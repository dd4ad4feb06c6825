import RocksGrammar
import ArgumentParser
import Ledger

/// `rocks ledger proof`: a c2sp.org/tlog-proof@v1 file proving a record is in the log.
struct LedgerProof: RocksCommand {
    static let configuration = CommandConfiguration(
        commandName: "proof",
        abstract: "Write the proof that a record is in the log, checkable offline.",
        discussion: """
            \(grammar.usage("rocks ledger proof"))

            A c2sp.org/tlog-proof@v1 file: the record's index (sequence - 1), its inclusion \
            path and the newest signed checkpoint. With record=yes (the default) its extra line \
            carries the record's stored bytes, whose digest is the leaf; with record=no, the \
            verifier gives them with leaf=. Check it with rocks ledger verify-proof.
            """)
    static let grammar = Grammar(positional: ["seq"], parameters: ["seq=<record>", "out=<path>", "record=yes|no"])

    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []

    func execute(_ arguments: RocksArguments, in context: CommandContext) throws {
        let sequence = try arguments.integer("seq", in: 1...Int.max, default: 0)
        let withRecord = try arguments.bool("record", default: true)
        let proof = try LedgerSession.reading(context).ledger.inclusionProof(sequence: UInt64(sequence), withRecord: withRecord)
        try ProofOutput.emit(proof.bytes, to: arguments["out"], what: "proof of record \(sequence)", in: context)
    }
}
