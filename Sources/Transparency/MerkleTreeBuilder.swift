/// The RFC 6962 tree built in memory, one leaf at a time, keeping only the right edge: the
/// hash of each complete subtree not yet inside a larger one (a compact range). What an
/// auditor's tool holds while it streams a log to recompute its tree, and what `ledger
/// verify` uses to check every stored node without reading any back.
public struct MerkleTreeBuilder: Sendable {
    /// The right edge, largest subtree first: one hash per one bit of ``size``.
    private var edge: [[UInt8]] = []
    public private(set) var size: UInt64 = 0

    public init() {}

    /// Adds the next leaf and returns the complete subtrees it finishes, smallest first: the
    /// leaf hash, then each parent while the subtree just finished is a right child. The same
    /// nodes, in the same order, as ``MerkleTree/nodesCompleted(byLeaf:leafHash:nodes:)``.
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
