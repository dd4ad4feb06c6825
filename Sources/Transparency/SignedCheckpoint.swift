/// A checkpoint in a signed note, verified against the log's verifier key.
public struct SignedCheckpoint: Sendable, Hashable {
    public let checkpoint: Checkpoint
    public let note: SignedNote

    /// Signs a checkpoint. The key name must be the origin, as this ledger names its key.
    public static func sign(_ checkpoint: Checkpoint, with signer: NoteSigner) throws(TransparencyError) -> SignedCheckpoint {
        guard signer.name == checkpoint.origin else {
            throw TransparencyError(.wrongOrigin, "the log's key is named '\(signer.name)', not its origin '\(checkpoint.origin)'")
        }
        return SignedCheckpoint(checkpoint: checkpoint, note: try SignedNote.sign(checkpoint.text, with: [signer]))
    }

    /// Reads a signed checkpoint and verifies it: the note must carry a valid signature by
    /// `key`, and the key's name must be the checkpoint's origin, so a key that signs for two
    /// logs cannot pass one log's checkpoint off as the other's.
    public init(verifying bytes: [UInt8], key: NoteVerifierKey) throws(TransparencyError) {
        try self.init(note: SignedNote(parsing: bytes), key: key)
    }

    public init(note: SignedNote, key: NoteVerifierKey) throws(TransparencyError) {
        let checkpoint = try Checkpoint(text: note.text)
        guard checkpoint.origin == key.name else {
            throw TransparencyError(.wrongOrigin, "the checkpoint is from '\(checkpoint.origin)', but the verifier key is for '\(key.name)'")
        }
        _ = try note.verify([key])
        self.init(checkpoint: checkpoint, note: note)
    }

    init(checkpoint: Checkpoint, note: SignedNote) {
        self.checkpoint = checkpoint
        self.note = note
    }

    /// The signed note as written.
    public var bytes: [UInt8] { note.bytes }
}
