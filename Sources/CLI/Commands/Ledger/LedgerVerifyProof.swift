import RocksGrammar
import AirbossAPI
import ArgumentParser
import Ledger
import Signing
import Transparency

#if canImport(Glibc)
import Glibc
#endif

/// `rocks ledger verify-proof`: checks an inclusion or consistency proof offline, with only
/// the ledger's verifier key: no ledger, no network.
struct LedgerVerifyProof: RocksCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify-proof",
        abstract: "Check an inclusion or consistency proof offline, against the ledger's verifier key.",
        discussion: """
            \(grammar.usage("rocks ledger verify-proof"))

            vkey= is the verifier key (rocks ledger checkpoint vkey=yes), or a file holding it. \
            An inclusion proof (rocks ledger proof) is checked for the record in its extra line, \
            or in leaf= (the record's stored bytes; both must agree when both are given): the \
            record must hash to its digest and sit at the proof's index. A consistency proof \
            (rocks ledger consistency) needs old=, the checkpoint it extends. Reads no ledger.
            """)
    static let grammar = Grammar(positional: ["file"], mandatory: ["vkey"],
                                 parameters: ["file=<proof>", "vkey=<verifier key or file>", "leaf=<record file>", "old=<checkpoint note>"])

    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []

    func execute(_ arguments: RocksArguments, in context: CommandContext) throws {
        let path = try arguments.required("file", "must supply file=<proof>")
        let key = try verifierKey(arguments.required("vkey", "must supply vkey=<verifier key or file>"))
        let bytes = try KeyFiles.read(path, limit: InclusionProofFile.sizeLimit)
        do {
            if bytes.starts(with: Array((InclusionProofFile.header + "\n").utf8)) {
                context.print(try checkInclusion(InclusionProofFile(parsing: bytes), leafPath: arguments["leaf"], key: key))
            } else {
                let old = try arguments.required("old", "a consistency proof needs old=<the checkpoint it extends>")
                let proof = try ConsistencyProofFile(parsing: bytes)
                let (previous, new) = try proof.verify(old: SignedNote(parsing: KeyFiles.read(old, limit: SignedNote.sizeLimit)), key: key)
                context.print("consistent: the log of \(new.size) records extends the log of \(previous.size) (\(new.origin))")
            }
        } catch let error as TransparencyError {
            throw CLIError("\(path): \(error.message)")
        }
    }

    /// The record proved (from the proof's extra line, or `leafPath`) must be whole: its
    /// digest, the leaf, covers every byte, and its sequence is the proof's index + 1.
    private func checkInclusion(_ proof: InclusionProofFile, leafPath: String?, key: NoteVerifierKey) throws -> String {
        let given = try leafPath.map { try KeyFiles.read($0, limit: InclusionProofFile.extraLimit) }
        if let given, let extra = proof.extra, given != extra {
            throw CLIError("leaf= differs from the record in the proof's extra line")
        }
        guard let bytes = given ?? proof.extra else {
            throw CLIError("the proof carries no record: give its stored bytes with leaf=<record file>")
        }
        do {
            let checked = try Receipt(proof).check(record: bytes, key: key)
            return "included: record \(checked.record.sequence) (\(checked.record.op)) is in the log of \(checked.checkpoint.size) records (\(checked.checkpoint.origin))"
        } catch {
            throw CLIError(error.message)
        }
    }

    /// A verifier key given inline, or read from a file.
    private func verifierKey(_ value: String) throws -> NoteVerifierKey {
        if let key = try? NoteVerifierKey(value) { return key }
        guard access(value, F_OK) == 0 else {
            throw CLIError("vkey: \(MessageText.quote(value)) is neither a verifier key (<name>+<key id>+<base64 key>) nor a file")
        }
        do {
            let text = String(decoding: try KeyFiles.read(value, limit: NoteVerifierKey.textLimit), as: UTF8.self)
            return try NoteVerifierKey(text.hasSuffix("\n") ? String(text.dropLast()) : text)
        } catch let error as TransparencyError {
            throw CLIError("vkey: \(error.message)")
        }
    }
}
