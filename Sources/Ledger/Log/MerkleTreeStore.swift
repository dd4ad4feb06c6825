import Signing
import Transparency

/// The `tree` database: the RFC 6962 tree over the records, leaf *i* being record *i + 1*'s
/// 32-byte digest (docs/transparency.md says why the digest). Derived from the records like
/// a view: written by the append that writes the record, recomputed by a rebuild.
///
/// One entry per record, under the record's own key (8-byte big-endian sequence): the hashes
/// of the complete subtrees that record's leaf completes, smallest first: the leaf hash,
/// then each parent while the subtree just finished is a right child. So every append is
/// one put at the end of the database, and node (level, index), whose last leaf is
/// `(index + 1) · 2^level − 1`, is the `level`-th hash of that leaf's record.
public struct MerkleTreeStore: Sendable {
    public let database: Database

    public init(database: Database) { self.database = database }

    /// Stores what record `sequence`'s leaf completes. Records are added in order, each once.
    public func add(sequence: UInt64, digest: [UInt8], in txn: borrowing Transaction) throws {
        let nodes = try check { () throws(TransparencyError) in
            try MerkleTree.nodesCompleted(byLeaf: sequence - 1, leafHash: MerkleHash.leaf(digest)) { id throws(TransparencyError) in
                try node(id, in: txn)
            }
        }
        try txn.put(database, SequenceKey.encode(sequence), nodes.flatMap(\.hash), noOverwrite: true, append: true)
    }

    /// How many leaves the stored tree has: the last record it covers.
    public func size(in txn: borrowing Transaction) throws -> UInt64 {
        guard let (key, _) = try txn.last(database) else { return 0 }
        return key.withUnsafeBytes { SequenceKey.decode($0) } ?? 0
    }

    /// The root of the tree of the first `size` records.
    public func root(size: UInt64, in txn: borrowing Transaction) throws -> [UInt8] {
        try check { () throws(TransparencyError) in
            try MerkleTree.root(size: size) { id throws(TransparencyError) in try node(id, in: txn) }
        }
    }

    /// The inclusion path of record `sequence` in the tree of `size` records.
    public func inclusionProof(sequence: UInt64, size: UInt64, in txn: borrowing Transaction) throws -> [[UInt8]] {
        try check { () throws(TransparencyError) in
            try MerkleTree.inclusionProof(index: sequence - 1, size: size) { id throws(TransparencyError) in try node(id, in: txn) }
        }
    }

    /// The proof that the tree of `newSize` records extends the tree of `oldSize`.
    public func consistencyProof(from oldSize: UInt64, to newSize: UInt64, in txn: borrowing Transaction) throws -> [[UInt8]] {
        try check { () throws(TransparencyError) in
            try MerkleTree.consistencyProof(from: oldSize, to: newSize) { id throws(TransparencyError) in try node(id, in: txn) }
        }
    }

    private func node(_ id: NodeID, in txn: borrowing Transaction) throws(TransparencyError) -> [UInt8] {
        let lastLeaf = id.firstLeaf + (1 << UInt64(id.level)) - 1
        let offset = id.level * MerkleHash.byteCount
        let hash: [UInt8]?
        do {
            hash = try txn.withValue(in: database, key: SequenceKey.encode(lastLeaf + 1)) { value in
                guard let value, value.count >= offset + MerkleHash.byteCount else { return nil }
                return Array(value[offset..<(offset + MerkleHash.byteCount)])
            }
        } catch {
            throw TransparencyError(.unreadableNode, "the tree: \(error)")
        }
        guard let hash else { throw TransparencyError(.unreadableNode, "the tree lacks \(id)") }
        return hash
    }

    /// Runs a tree operation, reporting a failure as a damaged ledger's.
    private func check<T>(_ body: () throws(TransparencyError) -> T) throws(LedgerError) -> T {
        do {
            return try body()
        } catch {
            throw LedgerError(.corrupt, "the Merkle tree: \(error.message)")
        }
    }
}
