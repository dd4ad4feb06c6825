/// Roots and proofs of the RFC 6962 tree over stored complete-subtree hashes.
///
/// Only complete subtrees are stored: they never change once written. A tree whose size is
/// not a power of two has an incomplete right edge, whose hashes are folded here from the
/// complete subtrees under it, so a root or a proof costs O(log n) reads and the store never
/// rewrites a node.
public enum MerkleTree {
    /// The root of the tree of the first `size` leaves.
    public static func root(size: UInt64, nodes read: NodeReader) throws(TransparencyError) -> [UInt8] {
        size == 0 ? MerkleHash.emptyRoot : try rangeHash(0, size, read)
    }

    /// The RFC 6962 §2.1.1 audit path of leaf `index` in the tree of `size` leaves, from the
    /// leaf's sibling up to the root's child.
    public static func inclusionProof(index: UInt64, size: UInt64, nodes read: NodeReader) throws(TransparencyError) -> [[UInt8]] {
        guard index < size else {
            throw TransparencyError(.invalidArgument, "leaf \(index) is not in a tree of \(size) leaves")
        }
        // PATH(m, D[n]) unrolled from the root down; the hashes come out root-side first.
        var proof: [[UInt8]] = []
        var start: UInt64 = 0
        var count = size
        var target = index
        while count > 1 {
            let split = largestPowerOfTwo(below: count)
            if target < split {
                proof.append(try rangeHash(start + split, start + count, read))
                count = split
            } else {
                proof.append(try rangeHash(start, start + split, read))
                start += split
                target -= split
                count -= split
            }
        }
        return proof.reversed()
    }

    /// The RFC 6962 §2.1.2 proof that the tree of `newSize` leaves extends the tree of
    /// `oldSize`. Empty when the sizes are equal, and empty from size 0 (tlog-witness's
    /// convention: every tree extends the empty one, and there is nothing to prove).
    public static func consistencyProof(from oldSize: UInt64, to newSize: UInt64, nodes read: NodeReader) throws(TransparencyError) -> [[UInt8]] {
        guard oldSize <= newSize else {
            throw TransparencyError(.invalidArgument, "a tree of \(newSize) leaves cannot extend one of \(oldSize)")
        }
        guard oldSize > 0 else { return [] }
        // SUBPROOF(m, D[n], true) unrolled from the root down; hashes come out root-side first.
        var proof: [[UInt8]] = []
        var start: UInt64 = 0
        var old = oldSize
        var count = newSize
        var oldIsWholeSubtree = true
        while old != count {
            let split = largestPowerOfTwo(below: count)
            if old <= split {
                proof.append(try rangeHash(start + split, start + count, read))
                count = split
            } else {
                proof.append(try rangeHash(start, start + split, read))
                start += split
                old -= split
                count -= split
                oldIsWholeSubtree = false
            }
        }
        // The verifier knows the old root, so a subtree that is the whole old tree is left out.
        if !oldIsWholeSubtree { proof.append(try rangeHash(start, start + old, read)) }
        return proof.reversed()
    }

    /// MTH(D[start:end]) for a range that starts at a multiple of a power of two at least
    /// as large as the range (every range RFC 6962's recursion visits does): the complete
    /// subtrees it splits into, left to right in decreasing size, folded from the right.
    static func rangeHash(_ start: UInt64, _ end: UInt64, _ read: NodeReader) throws(TransparencyError) -> [UInt8] {
        var parts: [NodeID] = []
        var position = start
        var remaining = end - start
        while remaining > 0 {
            let level = 63 - remaining.leadingZeroBitCount
            parts.append(NodeID(level: level, index: position >> UInt64(level)))
            position += 1 << UInt64(level)
            remaining -= 1 << UInt64(level)
        }
        var hash = try node(parts.removeLast(), read)
        while let left = parts.popLast() {
            hash = MerkleHash.node(try node(left, read), hash)
        }
        return hash
    }

    /// Reads one stored node, checked right after the read: a short or long value is a
    /// damaged store, not a hash.
    static func node(_ id: NodeID, _ read: NodeReader) throws(TransparencyError) -> [UInt8] {
        let hash = try read(id)
        guard hash.count == MerkleHash.byteCount else {
            throw TransparencyError(.unreadableNode, "the stored \(id) has \(hash.count) bytes, not \(MerkleHash.byteCount)")
        }
        return hash
    }

    /// The largest power of two strictly below `count` (which is at least 2): RFC 6962's k.
    static func largestPowerOfTwo(below count: UInt64) -> UInt64 {
        1 << UInt64(63 - (count - 1).leadingZeroBitCount)
    }

    static func requireHash(_ hash: [UInt8], _ what: String, _ code: TransparencyError.Code = .invalidArgument) throws(TransparencyError) {
        guard hash.count == MerkleHash.byteCount else {
            throw TransparencyError(code, "\(what) has \(hash.count) bytes, not \(MerkleHash.byteCount)")
        }
    }
}
