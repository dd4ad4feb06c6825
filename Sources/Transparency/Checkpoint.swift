import Signing

/// A c2sp.org/tlog-checkpoint body: the origin (which log), the tree size and the root.
///
/// ```
/// <origin>
/// <size>
/// <base64 root>
/// ```
///
/// Extension lines are read and kept (the spec allows them) but this ledger writes none: a
/// monitor cannot audit them.
public struct Checkpoint: Sendable, Hashable {
    public let origin: String
    public let size: UInt64
    public let root: [UInt8]
    public let extensions: [String]

    public init(origin: String, size: UInt64, root: [UInt8]) throws(TransparencyError) {
        try self.init(origin: origin, size: size, root: root, extensions: [])
    }

    init(origin: String, size: UInt64, root: [UInt8], extensions: [String]) throws(TransparencyError) {
        guard !origin.isEmpty else {
            throw TransparencyError(.malformed, "a checkpoint's origin must not be empty")
        }
        guard root.count == MerkleHash.byteCount else {
            throw TransparencyError(.malformed, "a checkpoint's root has \(root.count) bytes, not \(MerkleHash.byteCount)")
        }
        for line in [origin] + extensions {
            guard !line.isEmpty, !line.utf8.contains(where: { $0 < 0x20 }) else {
                throw TransparencyError(.malformed, "a checkpoint line is empty or contains a control character")
            }
        }
        self.origin = origin
        self.size = size
        self.root = root
        self.extensions = extensions
    }

    /// This ledger's origin (and key name): `<frontend fqdn>/rocks/<ledger id hex>`.
    public static func rocksOrigin(frontend: String, ledger: LedgerID) -> String {
        "\(frontend)/rocks/\(ledger.hex)"
    }

    /// Reads a note's text as a checkpoint.
    public init(text: [UInt8]) throws(TransparencyError) {
        guard text.last == 0x0a else {
            throw TransparencyError(.malformed, "a checkpoint's text ends in a newline")
        }
        // What a note allows, so a checkpoint read alone is read as one inside a note would be.
        try SignedNote.checkCharacters(text, "the checkpoint")
        let lines = text.dropLast().split(separator: 0x0a, omittingEmptySubsequences: false)
        guard lines.count >= 3 else {
            throw TransparencyError(.malformed, "a checkpoint has an origin, a size and a root line; this has \(lines.count) lines")
        }
        guard let size = Self.decimal(lines[1]) else {
            throw TransparencyError(.malformed, "a checkpoint's size is a decimal number without leading zeros")
        }
        guard let root = Base64.decode(lines[2]), root.count == MerkleHash.byteCount else {
            throw TransparencyError(.malformed, "a checkpoint's root is the padded standard base64 of \(MerkleHash.byteCount) bytes")
        }
        try self.init(origin: String(decoding: lines[0], as: UTF8.self), size: size, root: root,
                      extensions: lines.dropFirst(3).map { String(decoding: $0, as: UTF8.self) })
    }

    /// The note text: origin, size, base64 root and any extension lines, each with a newline.
    public var text: [UInt8] {
        Array(([origin, String(size), Base64.encode(root)] + extensions).map { $0 + "\n" }.joined().utf8)
    }

    /// Checks that two checkpoints of one log can both be true: same origin; equal sizes
    /// need equal roots; otherwise `proof` must prove the larger tree extends the smaller
    /// (the two may come in either order). Every tree extends the empty tree, whose root
    /// must be the empty root, with an empty proof (as tlog-witness sends from size 0).
    ///
    /// Two signed checkpoints of one size with different roots are proof the log forked:
    /// ``TransparencyError/Code/fork``. A proof that fails is
    /// ``TransparencyError/Code/proofRejected``: the two are not shown to be consistent, but
    /// the proof itself may be what is wrong.
    public static func checkConsistent(_ first: Checkpoint, _ second: Checkpoint, proof: [[UInt8]]) throws(TransparencyError) {
        guard first.origin == second.origin else {
            throw TransparencyError(.wrongOrigin, "the checkpoints are from different logs ('\(first.origin)' and '\(second.origin)')")
        }
        let (old, new) = first.size <= second.size ? (first, second) : (second, first)
        if old.size == 0 {
            guard old.root == MerkleHash.emptyRoot else {
                throw TransparencyError(.fork, "a checkpoint of the empty tree names a root other than the empty tree's")
            }
            guard new.size != 0 || new.root == MerkleHash.emptyRoot else {
                throw TransparencyError(.fork, "a checkpoint of the empty tree names a root other than the empty tree's")
            }
            guard proof.isEmpty else {
                throw TransparencyError(.proofRejected, "every tree extends the empty tree: the proof from size 0 must be empty; it has \(proof.count) hashes")
            }
            return
        }
        if old.size == new.size {
            guard old.root == new.root else {
                throw TransparencyError(.fork, "the log forked: two checkpoints of \(old.size) leaves with different roots")
            }
            guard proof.isEmpty else {
                throw TransparencyError(.proofRejected, "checkpoints of equal size need an empty consistency proof; it has \(proof.count) hashes")
            }
            return
        }
        do {
            try MerkleProof.verifyConsistency(from: old.size, to: new.size, oldRoot: old.root, newRoot: new.root, proof: proof)
        } catch {
            throw TransparencyError(.proofRejected, "the proof does not link the checkpoint of \(old.size) leaves to the one of \(new.size): \(error.message)")
        }
    }

    /// ASCII decimal without leading zeros (but `0`), at most UInt64.max.
    static func decimal(_ digits: some Collection<UInt8>) -> UInt64? {
        guard !digits.isEmpty, digits.count <= 20, digits.first != UInt8(ascii: "0") || digits.count == 1 else { return nil }
        var value: UInt64 = 0
        for digit in digits {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(digit) else { return nil }
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(UInt64(digit - UInt8(ascii: "0")))
            guard !overflow1, !overflow2 else { return nil }
            value = sum
        }
        return value
    }
}
