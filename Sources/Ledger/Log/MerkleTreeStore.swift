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

    /// Adds records' leaves in log order, holding the tree's right edge in memory, so that a
    /// leaf is stored without reading any node back. An append makes one per commit; a
    /// rebuild one for the whole log.
    public struct Appender {
        private let store: MerkleTreeStore
        private var builder: MerkleTreeBuilder

        fileprivate init(store: MerkleTreeStore, builder: MerkleTreeBuilder) {
            self.store = store
            self.builder = builder
        }

        /// The root of the tree so far.
        public var root: [UInt8] { builder.root }

        /// Stores the complete subtrees record `sequence`'s leaf, its `digest`, finishes; it
        /// must be the record after the last one added. Hashed and written from the stack:
        /// a rebuild adds every record.
        public mutating func add(sequence: UInt64, digest: UnsafeRawBufferPointer, in txn: borrowing Transaction) throws {
            guard sequence == builder.size + 1 else {
                throw LedgerError(.corrupt, "the Merkle tree: record \(sequence) cannot follow \(builder.size)")
            }
            try withUnsafeTemporaryAllocation(byteCount: MerkleHash.byteCount, alignment: 1) { leafHash in
                MerkleHash.leaf(digest, into: leafHash)
                try builder.append(leafHash: UnsafeRawBufferPointer(leafHash)) { nodes in
                    try withUnsafeBytes(of: sequence.bigEndian) { key in
                        try txn.put(store.database, key: key, value: nodes, noOverwrite: true, append: true)
                    }
                }
            }
        }
    }

    /// An appender that continues the stored tree.
    public func appender(in txn: borrowing Transaction) throws -> Appender {
        let size = try size(in: txn)
        let builder = try check { () throws(TransparencyError) in
            try MerkleTreeBuilder(size: size) { id throws(TransparencyError) in try node(id, in: txn) }
        }
        return Appender(store: self, builder: builder)
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
