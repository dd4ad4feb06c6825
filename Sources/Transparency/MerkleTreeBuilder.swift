/// The RFC 6962 tree built in memory, one leaf at a time, keeping only the right edge: the
/// hash of each complete subtree not yet inside a larger one (a compact range). What an
/// auditor's tool holds while it streams a log to recompute its tree, what `ledger verify`
/// uses to check every stored node without reading any back, and what the ledger's appends
/// and rebuilds extend the stored tree with.
public struct MerkleTreeBuilder: Sendable {
    /// The right edge, largest subtree first: one hash per one bit of ``size``.
    private var edge: [[UInt8]] = []
    public private(set) var size: UInt64 = 0

    public init() {}

    /// The tree of `size` leaves whose complete subtrees `read` gives: its right edge is read,
    /// one node for each one bit of `size`, so the next leaf can be added without reading more.
    public init(size: UInt64, nodes read: NodeReader) throws(TransparencyError) {
        var start: UInt64 = 0
        for level in (0..<UInt64.bitWidth).reversed() where size & (1 << UInt64(level)) != 0 {
            edge.append(try MerkleTree.node(NodeID(level: level, index: start >> UInt64(level)), read))
            start += 1 << UInt64(level)
        }
        self.size = size
    }

    /// Adds the next leaf and returns the complete subtrees it finishes, smallest first: the
    /// leaf hash, then each parent while the subtree just finished is a right child. One node
    /// more than the trailing one bits of the leaf's index: about two, at most 64.
    @discardableResult
    public mutating func append(leafHash: [UInt8]) -> [[UInt8]] {
        var completed = [leafHash]
        var hash = leafHash
        var position = size
        while position & 1 == 1, let left = edge.popLast() {
            hash = MerkleHash.node(left, hash)
            completed.append(hash)
            position >>= 1
        }
        edge.append(hash)
        size += 1
        return completed
    }

    /// The root of the tree so far: the edge folded from the right.
    public var root: [UInt8] {
        guard var hash = edge.last else { return MerkleHash.emptyRoot }
        for left in edge.dropLast().reversed() { hash = MerkleHash.node(left, hash) }
        return hash
    }
}
