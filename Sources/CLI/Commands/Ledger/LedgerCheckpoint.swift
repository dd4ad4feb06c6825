import RocksGrammar
import ArgumentParser
import Ledger

/// `rocks ledger checkpoint`: the frontend's newest signed checkpoint, a C2SP signed note,
/// or the verifier key that checks it.
struct LedgerCheckpoint: RocksCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkpoint",
        abstract: "Print or save the newest signed checkpoint, or the key that verifies it.",
        discussion: """
            \(grammar.usage("rocks ledger checkpoint"))

            The checkpoint is a c2sp.org/tlog-checkpoint in a signed note: origin, size and \
            Merkle root, signed by the frontend key. Keep it, then later: rocks ledger verify \
            since=<path>, or rocks ledger consistency old=<path>. vkey=yes prints the verifier \
            key (<name>+<key id>+<base64 key>) that auditors configure instead.
            """)
    static let grammar = Grammar(positional: ["file"], optionalPositional: ["file"], parameters: ["file=<path>", "vkey=no|yes"])

    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []

    func execute(_ arguments: RocksArguments, in context: CommandContext) throws {
        let ledger = try LedgerSession.reading(context).ledger
        if try arguments.bool("vkey", default: false) {
            guard let key = ledger.verifierKey else { throw CLIError("this ledger's frontend key cannot sign notes (only Ed25519 can)") }
            context.print(key.description)
            return
        }
        let checkpoint = try ledger.latestCheckpoint()
        if case .json = checkpoint {
            context.warn("this checkpoint is the JSON form from before the Merkle tree: 'rocks ledger upgrade' signs a note")
        }
        // A note ends in its own newline; the JSON form gets one.
        let bytes = checkpoint.bytes.last == UInt8(ascii: "\n") ? checkpoint.bytes : checkpoint.bytes + [UInt8(ascii: "\n")]
        if let file = arguments["file"] {
            try KeyFiles.writeAtomically(bytes, to: file)
            context.print("checkpoint \(checkpoint.sequence) written to \(file)")
        } else {
            context.write(String(decoding: bytes, as: UTF8.self))
        }
    }
}
