import Transparency

/// RFC 6962 §2.1 written as the RFC writes it, recursively over the list of leaf hashes,
/// with nothing stored: the independent answer the node-based code is checked against.
struct ReferenceTree {
    var leafHashes: [[UInt8]] = []

    /// MTH(D[range]).
    func root(_ range: Range<Int>) -> [UInt8] {
        switch range.count {
        case 0: return MerkleHash.emptyRoot
        case 1: return leafHashes[range.lowerBound]
        default:
            let k = Self.split(range.count)
            return MerkleHash.node(root(range.lowerBound..<range.lowerBound + k), root(range.lowerBound + k..<range.upperBound))
        }
    }

    func root(size: Int) -> [UInt8] { root(0..<size) }

    /// PATH(m, D[range]).
    func path(_ m: Int, _ range: Range<Int>) -> [[UInt8]] {
        guard range.count > 1 else { return [] }
        let k = Self.split(range.count)
        let middle = range.lowerBound + k
        if m < k {
            return path(m, range.lowerBound..<middle) + [root(middle..<range.upperBound)]
        }
        return path(m - k, middle..<range.upperBound) + [root(range.lowerBound..<middle)]
    }

    /// PROOF(m, D[n]) = SUBPROOF(m, D[n], true).
    func consistency(_ m: Int, _ n: Int) -> [[UInt8]] {
        subproof(m, 0..<n, true)
    }

    private func subproof(_ m: Int, _ range: Range<Int>, _ whole: Bool) -> [[UInt8]] {
        if m == range.count { return whole ? [] : [root(range)] }
        let k = Self.split(range.count)
        let middle = range.lowerBound + k
        if m <= k {
            return subproof(m, range.lowerBound..<middle, whole) + [root(middle..<range.upperBound)]
        }
        return subproof(m - k, middle..<range.upperBound, false) + [root(range.lowerBound..<middle)]
    }

    /// The largest power of two smaller than n.
    static func split(_ n: Int) -> Int {
        var k = 1
        while k << 1 < n { k <<= 1 }
        return k
    }
}

/// Complete-subtree hashes in memory, written as the ledger writes its `tree` database: each
/// append continues a builder from the stored right edge, ``MerkleTreeBuilder/init(size:nodes:)``,
/// and stores the nodes the leaf finishes, the one at level `k` being node `(k, index >> k)`.
struct MemoryNodes {
    var nodes: [NodeID: [UInt8]] = [:]
    var size: UInt64 = 0

    mutating func append(leafHash: [UInt8]) throws(TransparencyError) {
        var builder = try MerkleTreeBuilder(size: size, nodes: read)
        for (level, hash) in builder.append(leafHash: leafHash).enumerated() {
            nodes[NodeID(level: level, index: size >> UInt64(level))] = hash
        }
        size += 1
    }

    func root(size: UInt64) throws(TransparencyError) -> [UInt8] {
        try MerkleTree.root(size: size, nodes: read)
    }

    func inclusionProof(index: UInt64, size: UInt64) throws(TransparencyError) -> [[UInt8]] {
        try MerkleTree.inclusionProof(index: index, size: size, nodes: read)
    }

    func consistencyProof(from old: UInt64, to new: UInt64) throws(TransparencyError) -> [[UInt8]] {
        try MerkleTree.consistencyProof(from: old, to: new, nodes: read)
    }

    func read(_ id: NodeID) throws(TransparencyError) -> [UInt8] {
        guard let hash = nodes[id] else { throw TransparencyError(.unreadableNode, "no \(id)") }
        return hash
    }
}
