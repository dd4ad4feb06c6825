/// The RFC 6962 tree built in memory, one leaf at a time, keeping only the right edge: the
/// hash of each complete subtree not yet inside a larger one (a compact range). What an
/// auditor's tool holds while it streams a log to recompute its tree, what `ledger verify`
/// uses to check every stored node without reading any back, and what the ledger's appends
/// and rebuilds extend the stored tree with.
public struct MerkleTreeBuilder: Sendable {
    /// The right edge, largest subtree first, 32 bytes a hash: one hash per one bit of
    /// ``size``. Flat, so that adding a leaf allocates nothing.
    private var edge: [UInt8] = []
    public private(set) var size: UInt64 = 0

    public init() {
        edge.reserveCapacity(UInt64.bitWidth * MerkleHash.byteCount)
    }

    /// The tree of `size` leaves whose complete subtrees `read` gives: its right edge is read,
    /// one node for each one bit of `size`, so the next leaf can be added without reading more.
    public init(size: UInt64, nodes read: NodeReader) throws(TransparencyError) {
        self.init()
        var start: UInt64 = 0
        for level in (0..<UInt64.bitWidth).reversed() where size & (1 << UInt64(level)) != 0 {
            edge += try MerkleTree.node(NodeID(level: level, index: start >> UInt64(level)), read)
            start += 1 << UInt64(level)
        }
        self.size = size
    }

    /// Adds the next leaf and returns the complete subtrees it finishes, smallest first: the
    /// leaf hash, then each parent while the subtree just finished is a right child. One node
    /// more than the trailing one bits of the leaf's index: about two, at most 64.
    @discardableResult
    public mutating func append(leafHash: [UInt8]) -> [[UInt8]] {
        leafHash.withUnsafeBytes { leafHash in
            append(leafHash: leafHash) { nodes in
                stride(from: 0, to: nodes.count, by: MerkleHash.byteCount).map { Array(nodes[$0..<($0 + MerkleHash.byteCount)]) }
            }
        }
    }

    /// ``append(leafHash:)`` for a ledger that stores the nodes: calls `body` with them
    /// concatenated, on the stack.
    public mutating func append<T>(leafHash: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        let width = MerkleHash.byteCount
        precondition(leafHash.count == width, "a leaf hash is 32 bytes")
        let parents = (~size).trailingZeroBitCount
        return try withUnsafeTemporaryAllocation(byteCount: (parents + 1) * width, alignment: 1) { nodes in
            UnsafeMutableRawBufferPointer(rebasing: nodes[..<width]).copyMemory(from: leafHash)
            // Each finished subtree is a right child: its parent's left child ends the edge.
            for level in 0..<parents {
                edge.withUnsafeBytes { edge in
                    MerkleHash.node(UnsafeRawBufferPointer(rebasing: edge[(edge.count - width)...]),
                                    UnsafeRawBufferPointer(rebasing: nodes[(level * width)..<((level + 1) * width)]),
                                    into: UnsafeMutableRawBufferPointer(rebasing: nodes[((level + 1) * width)...]))
                }
                edge.removeLast(width)
            }
            edge.append(contentsOf: nodes[(parents * width)...])
            size += 1
            return try body(UnsafeRawBufferPointer(nodes))
        }
    }

    /// The root of the tree so far: the edge folded from the right.
    public var root: [UInt8] {
        let width = MerkleHash.byteCount
        guard edge.count >= width else { return MerkleHash.emptyRoot }
        var hash = Array(edge.suffix(width))
        for end in stride(from: edge.count - width, to: 0, by: -width) {
            hash = MerkleHash.node(Array(edge[(end - width)..<end]), hash)
        }
        return hash
    }
}
