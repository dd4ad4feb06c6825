import Signing

/// The proof that a log's current tree extends an older one, in the layout of a
/// c2sp.org/tlog-witness add-checkpoint request body (C2SP defines no file for it):
///
/// ```
/// old <size>
/// <base64 hash>             (zero or more; none from size 0 or between equal sizes)
///
/// <new signed checkpoint>
/// ```
public struct ConsistencyProofFile: Sendable, Hashable {
    /// The most hash lines tlog-witness lets a client send.
    public static let proofLimit = 63
    /// The largest file read: 63 hash lines and a note.
    public static let sizeLimit = SignedNote.sizeLimit + 4096

    public let oldSize: UInt64
    public let proof: [[UInt8]]
    /// The new checkpoint note, verified only by ``verify(old:key:)``.
    public let checkpoint: SignedNote

    public init(oldSize: UInt64, proof: [[UInt8]], checkpoint: SignedCheckpoint) throws(TransparencyError) {
        guard oldSize <= checkpoint.checkpoint.size else {
            throw TransparencyError(.invalidArgument, "the old size \(oldSize) is larger than the checkpoint's \(checkpoint.checkpoint.size)")
        }
        guard proof.count <= Self.proofLimit, proof.allSatisfy({ $0.count == MerkleHash.byteCount }) else {
            throw TransparencyError(.invalidArgument, "a consistency proof is at most \(Self.proofLimit) hashes of \(MerkleHash.byteCount) bytes")
        }
        self.oldSize = oldSize
        self.proof = proof
        self.checkpoint = checkpoint.note
    }

    /// Reads a consistency proof file's syntax; trusts nothing.
    public init(parsing bytes: [UInt8]) throws(TransparencyError) {
        guard bytes.count <= Self.sizeLimit else {
            throw TransparencyError(.tooLarge, "the consistency proof file has \(bytes.count) bytes; at most \(Self.sizeLimit) are read")
        }
        var lines = ProofFileLines(bytes)
        self.oldSize = try ProofFileLines.number(lines.next("the old size"), keyword: "old")
        self.proof = try lines.hashes(limit: Self.proofLimit)
        self.checkpoint = try ProofFileLines.checkpoint(lines.rest)
    }

    /// The file as written.
    public var bytes: [UInt8] {
        var text = "old \(oldSize)\n"
        for hash in proof { text += Base64.encode(hash) + "\n" }
        return Array((text + "\n").utf8) + checkpoint.bytes
    }

    /// Checks that the new checkpoint extends `old` (a signed checkpoint the auditor kept):
    /// both verify with `key`, whose name is their origin; the file's old size is the old
    /// checkpoint's; and the proof links the two. Two checkpoints of one size with
    /// different roots are reported as ``TransparencyError/Code/fork``.
    @discardableResult
    public func verify(old: SignedNote, key: NoteVerifierKey) throws(TransparencyError) -> (old: Checkpoint, new: Checkpoint) {
        let new = try SignedCheckpoint(note: checkpoint, key: key).checkpoint
        let previous = try SignedCheckpoint(note: old, key: key).checkpoint
        guard previous.size == oldSize else {
            throw TransparencyError(.proofRejected, "the proof is from size \(oldSize), but the old checkpoint has \(previous.size) entries")
        }
        guard oldSize <= new.size else {
            throw TransparencyError(.proofRejected, "the new checkpoint has \(new.size) entries, fewer than the old one's \(oldSize)")
        }
        try Checkpoint.checkConsistent(previous, new, proof: proof)
        return (previous, new)
    }
}
