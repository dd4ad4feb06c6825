import Signing

/// A c2sp.org/tlog-proof@v1 file: an entry's index, its inclusion path and the signed
/// checkpoint it is included in, checkable offline with the log's verifier key.
///
/// ```
/// c2sp.org/tlog-proof@v1
/// extra <base64>            (optional)
/// index <n>
/// <base64 hash>             (zero or more, leaf's sibling first)
///
/// <signed checkpoint>
/// ```
public struct InclusionProofFile: Sendable, Hashable {
    public static let header = "c2sp.org/tlog-proof@v1"
    /// The largest file read: the extra data and a note.
    public static let sizeLimit = 16 << 20
    /// The most extra bytes read: the ledger's largest record (8 MiB of decision, 64 KiB of
    /// request, a signature and the header) fits.
    public static let extraLimit = 9 << 20
    /// An index below 2^64 has at most 64 hashes in its path.
    public static let pathLimit = 64

    /// Opaque data, not authenticated by the proof: whoever reads it checks it against the
    /// leaf (the ledger puts the record's stored bytes here, whose digest is the leaf).
    public let extra: [UInt8]?
    public let index: UInt64
    public let path: [[UInt8]]
    /// The checkpoint note, verified only by ``verify(leafHash:key:)``.
    public let checkpoint: SignedNote

    public init(extra: [UInt8]?, index: UInt64, path: [[UInt8]], checkpoint: SignedCheckpoint) throws(TransparencyError) {
        guard (extra?.count ?? 0) <= Self.extraLimit else {
            throw TransparencyError(.tooLarge, "the extra data has more than \(Self.extraLimit) bytes")
        }
        guard path.count <= Self.pathLimit, path.allSatisfy({ $0.count == MerkleHash.byteCount }) else {
            throw TransparencyError(.invalidArgument, "an inclusion path is at most \(Self.pathLimit) hashes of \(MerkleHash.byteCount) bytes")
        }
        self.extra = extra
        self.index = index
        self.path = path
        self.checkpoint = checkpoint.note
    }

    /// Reads a proof file's syntax; trusts nothing.
    public init(parsing bytes: [UInt8]) throws(TransparencyError) {
        guard bytes.count <= Self.sizeLimit else {
            throw TransparencyError(.tooLarge, "the proof file has \(bytes.count) bytes; at most \(Self.sizeLimit) are read")
        }
        var lines = ProofFileLines(bytes)
        guard try lines.next("the header") == ArraySlice(Self.header.utf8) else {
            throw TransparencyError(.malformed, "not a tlog-proof file: the first line is not '\(Self.header)'")
        }
        var extra: [UInt8]?
        if lines.peek("extra ") {
            let line = try lines.next("the extra data").dropFirst(6)
            guard line.count <= (Self.extraLimit + 2) / 3 * 4 else {
                throw TransparencyError(.tooLarge, "the extra data has more than \(Self.extraLimit) bytes")
            }
            guard let decoded = Base64.decode(line) else {
                throw TransparencyError(.malformed, "the extra data is not padded standard base64")
            }
            extra = decoded
        }
        self.extra = extra
        self.index = try ProofFileLines.number(lines.next("the index"), keyword: "index")
        self.path = try lines.hashes(limit: Self.pathLimit)
        self.checkpoint = try ProofFileLines.checkpoint(lines.rest)
    }

    /// The file as written.
    public var bytes: [UInt8] {
        var text = Self.header + "\n"
        if let extra { text += "extra \(Base64.encode(extra))\n" }
        text += "index \(index)\n"
        for hash in path { text += Base64.encode(hash) + "\n" }
        return Array((text + "\n").utf8) + checkpoint.bytes
    }

    /// Checks the proof for a leaf given by its hash: the checkpoint verifies with `key`
    /// (whose name is the origin), the index is below its size, and the path leads from
    /// the leaf to its root. Returns the verified checkpoint.
    @discardableResult
    public func verify(leafHash: [UInt8], key: NoteVerifierKey) throws(TransparencyError) -> Checkpoint {
        let signed = try SignedCheckpoint(note: checkpoint, key: key)
        let tree = signed.checkpoint
        guard index < tree.size else {
            throw TransparencyError(.proofRejected, "entry \(index) is not in the checkpoint's tree of \(tree.size) entries")
        }
        try MerkleProof.verifyInclusion(index: index, size: tree.size, leafHash: leafHash, proof: path, root: tree.root)
        return tree
    }

    /// ``verify(leafHash:key:)`` for the leaf's bytes, hashed as RFC 6962 hashes a leaf.
    @discardableResult
    public func verify(leaf: [UInt8], key: NoteVerifierKey) throws(TransparencyError) -> Checkpoint {
        try verify(leafHash: MerkleHash.leaf(leaf), key: key)
    }
}
