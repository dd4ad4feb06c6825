import Signing
import Transparency

/// A checkpoint as the `checkpoints` database stores it and an auditor saves it: a
/// c2sp.org/tlog-checkpoint in a signed note, which every commit writes, or a JSON checkpoint
/// from before the Merkle tree, which older ledgers keep. Both are read; each is checked by
/// what it commits to (the note to the tree's root, the JSON one to the record's digest).
public enum StoredCheckpoint: Sendable, Equatable {
    case note(SignedNote, Checkpoint)
    case json(JSONCheckpoint)

    /// Reads stored bytes or a saved file (a JSON checkpoint may end in one newline). Trusts
    /// nothing: the signature is checked by ``isSigned(for:by:frontendKey:)``.
    public init(bytes: [UInt8]) throws(LedgerError) {
        if bytes.first == UInt8(ascii: "{") {
            self = .json(try JSONCheckpoint(document: bytes.last == UInt8(ascii: "\n") ? Array(bytes.dropLast()) : bytes))
            return
        }
        do {
            let note = try SignedNote(parsing: bytes)
            self = .note(note, try Checkpoint(text: note.text))
        } catch {
            throw LedgerError(.malformedCheckpoint, "checkpoint: \(error.message)")
        }
    }

    /// The number of records it covers: its last record's sequence.
    public var sequence: UInt64 {
        switch self {
        case .note(_, let checkpoint): checkpoint.size
        case .json(let checkpoint): checkpoint.sequence
        }
    }

    /// The bytes stored and written to files.
    public var bytes: [UInt8] {
        switch self {
        case .note(let note, _): note.bytes
        case .json(let checkpoint): checkpoint.document
        }
    }

    /// Whether the ledger's frontend signed it for this ledger: a note verifies with the
    /// ledger's verifier key (whose name is the origin, which names the ledger); a JSON
    /// checkpoint names the ledger and is signed by the frontend key.
    public func isSigned(for ledger: LedgerID, by key: NoteVerifierKey?, frontendKey: PublicKey) -> Bool {
        switch self {
        case .note(let note, _):
            guard let key else { return false }
            return (try? SignedCheckpoint(note: note, key: key)) != nil
        case .json(let checkpoint):
            return checkpoint.ledger == ledger && checkpoint.isSigned(by: frontendKey)
        }
    }

    /// Whether it vouches for the log whose record `sequence` has `digest` and whose tree of
    /// `sequence` records has `root` (a JSON checkpoint reads only the digest).
    func covers(sequence: UInt64, digest: [UInt8], root: [UInt8]) -> Bool {
        switch self {
        case .note(_, let checkpoint): checkpoint.size == sequence && checkpoint.root == root
        case .json(let checkpoint): checkpoint.sequence == sequence && checkpoint.head == digest
        }
    }

    /// The `checkpoints` database key: the sequence as 20 decimal digits. Deliberately not
    /// 8-byte big-endian, which only the `records` database uses.
    static func key(_ sequence: UInt64) -> [UInt8] {
        let digits = String(sequence)
        return Array((String(repeating: "0", count: 20 - digits.count) + digits).utf8)
    }
}
