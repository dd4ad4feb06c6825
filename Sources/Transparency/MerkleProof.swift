/// Verification of inclusion and consistency proofs, as RFC 9162 §2.1.3.2 and §2.1.4.2 give
/// it, strict where other logs' verifiers were lenient: every size, length and hash is
/// checked before any hashing, and each refusal says why.
public enum MerkleProof {
    /// How many hashes the inclusion proof of leaf `index` in a tree of `size` has.
    /// Requires `index < size`.
    public static func inclusionLength(index: UInt64, size: UInt64) -> Int {
        // Below the level where the paths to `index` and to the last leaf part, every level
        // has a sibling; above it, only the levels where `index`'s ancestor is a right child.
        let inner = 64 - (index ^ (size - 1)).leadingZeroBitCount
        let border = inner == 64 ? 0 : (index >> UInt64(inner)).nonzeroBitCount
        return inner + border
    }

    /// How many hashes the consistency proof from `oldSize` to `newSize` has.
    /// Requires `0 < oldSize <= newSize`.
    public static func consistencyLength(from oldSize: UInt64, to newSize: UInt64) -> Int {
        var length = 0
        var old = oldSize
        var count = newSize
        var oldIsWholeSubtree = true
        while old != count {
            let split = MerkleTree.largestPowerOfTwo(below: count)
            if old <= split {
                count = split
            } else {
                old -= split
                count -= split
                oldIsWholeSubtree = false
            }
            length += 1
        }
        return oldIsWholeSubtree ? length : length + 1
    }

    /// Checks that `proof` shows the leaf with hash `leafHash` at `index` in the tree of
    /// `size` leaves whose root is `root`.
    public static func verifyInclusion(index: UInt64, size: UInt64, leafHash: [UInt8], proof: [[UInt8]], root: [UInt8]) throws(TransparencyError) {
        let computed = try rootFromInclusion(index: index, size: size, leafHash: leafHash, proof: proof)
        try MerkleTree.requireHash(root, "the root", .proofRejected)
        guard computed == root else {
            throw TransparencyError(.proofRejected, "the inclusion proof of leaf \(index) leads to another root than the tree of \(size) leaves has")
        }
    }

    /// The root an inclusion proof leads to, after checking its shape.
    public static func rootFromInclusion(index: UInt64, size: UInt64, leafHash: [UInt8], proof: [[UInt8]]) throws(TransparencyError) -> [UInt8] {
        guard size > 0 else {
            throw TransparencyError(.proofRejected, "the empty tree includes no leaf")
        }
        guard index < size else {
            throw TransparencyError(.proofRejected, "leaf \(index) is not in a tree of \(size) leaves")
        }
        try MerkleTree.requireHash(leafHash, "the leaf hash", .proofRejected)
        try requireHashes(proof)
        let expected = inclusionLength(index: index, size: size)
        guard proof.count == expected else {
            throw TransparencyError(.proofRejected, "the inclusion proof of leaf \(index) in a tree of \(size) leaves has \(proof.count) hashes; \(expected) expected")
        }
        var position = index
        var last = size - 1
        var hash = leafHash
        for sibling in proof {
            guard last > 0 else {
                throw TransparencyError(.proofRejected, "the inclusion proof is longer than the path to the root")
            }
            if position & 1 == 1 || position == last {
                hash = MerkleHash.node(sibling, hash)
                // A left child on the right edge has no sibling at the levels it skips.
                if position & 1 == 0 {
                    while position & 1 == 0 && position != 0 {
                        position >>= 1
                        last >>= 1
                    }
                }
            } else {
                hash = MerkleHash.node(hash, sibling)
            }
            position >>= 1
            last >>= 1
        }
        guard last == 0 else {
            throw TransparencyError(.proofRejected, "the inclusion proof stops short of the root")
        }
        return hash
    }

    /// Checks that `proof` shows the tree of `newSize` leaves with root `newRoot` extends the
    /// tree of `oldSize` leaves with root `oldRoot`.
    ///
    /// Equal sizes need an empty proof and equal roots. A proof from size 0 is refused, as
    /// RFC 9162 and transparency-dev/merkle do: it would prove nothing, and a caller that
    /// means "any tree extends the empty tree" says so itself (as
    /// ``Checkpoint/checkConsistent(_:_:proof:)`` does).
    public static func verifyConsistency(from oldSize: UInt64, to newSize: UInt64, oldRoot: [UInt8], newRoot: [UInt8], proof: [[UInt8]]) throws(TransparencyError) {
        guard oldSize <= newSize else {
            throw TransparencyError(.proofRejected, "a tree of \(newSize) leaves cannot extend one of \(oldSize)")
        }
        guard oldSize > 0 else {
            throw TransparencyError(.proofRejected, "a consistency proof from the empty tree proves nothing")
        }
        try MerkleTree.requireHash(oldRoot, "the old root", .proofRejected)
        try MerkleTree.requireHash(newRoot, "the new root", .proofRejected)
        try requireHashes(proof)
        if oldSize == newSize {
            guard proof.isEmpty else {
                throw TransparencyError(.proofRejected, "the sizes are equal, so the consistency proof must be empty; it has \(proof.count) hashes")
            }
            guard oldRoot == newRoot else {
                throw TransparencyError(.proofRejected, "two trees of \(oldSize) leaves with different roots")
            }
            return
        }
        let expected = consistencyLength(from: oldSize, to: newSize)
        guard proof.count == expected else {
            throw TransparencyError(.proofRejected, "the consistency proof from \(oldSize) to \(newSize) leaves has \(proof.count) hashes; \(expected) expected")
        }
        // When the old tree is one complete subtree, its root is the proof's implicit first hash.
        var path = proof
        if oldSize & (oldSize - 1) == 0 { path.insert(oldRoot, at: 0) }
        var position = oldSize - 1
        var last = newSize - 1
        while position & 1 == 1 {
            position >>= 1
            last >>= 1
        }
        var oldHash = path[0]
        var newHash = path[0]
        for hash in path.dropFirst() {
            guard last > 0 else {
                throw TransparencyError(.proofRejected, "the consistency proof is longer than the path to the root")
            }
            if position & 1 == 1 || position == last {
                oldHash = MerkleHash.node(hash, oldHash)
                newHash = MerkleHash.node(hash, newHash)
                if position & 1 == 0 {
                    while position & 1 == 0 && position != 0 {
                        position >>= 1
                        last >>= 1
                    }
                }
            } else {
                newHash = MerkleHash.node(newHash, hash)
            }
            position >>= 1
            last >>= 1
        }
        guard last == 0 else {
            throw TransparencyError(.proofRejected, "the consistency proof stops short of the root")
        }
        guard oldHash == oldRoot else {
            throw TransparencyError(.proofRejected, "the consistency proof does not lead to the old root of \(oldSize) leaves")
        }
        guard newHash == newRoot else {
            throw TransparencyError(.proofRejected, "the consistency proof does not lead to the new root of \(newSize) leaves")
        }
    }

    static func requireHashes(_ proof: [[UInt8]]) throws(TransparencyError) {
        for (position, hash) in proof.enumerated() where hash.count != MerkleHash.byteCount {
            throw TransparencyError(.proofRejected, "proof hash \(position + 1) has \(hash.count) bytes, not \(MerkleHash.byteCount)")
        }
    }
}
