import Signing
import Testing
import TestSupport
import Transparency

/// Seeded random trees: the node-based roots and proofs equal RFC 6962's recursion, every
/// proof verifies, and every proof with one thing wrong is refused.
@Suite struct MerkleRandomTreeTests {
    static func randomTree(leaves: Int, seed: UInt64) throws -> (MemoryNodes, ReferenceTree) {
        var generator = SeededGenerator(state: seed)
        var memory = MemoryNodes()
        var reference = ReferenceTree()
        for _ in 0..<leaves {
            let length = Int.random(in: 0...40, using: &generator)
            let leaf = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let hash = MerkleHash.leaf(leaf)
            try memory.append(leafHash: hash)
            reference.leafHashes.append(hash)
        }
        return (memory, reference)
    }

    @Test func nodeBasedRootsAndProofsEqualTheReferenceRecursion() throws {
        let (memory, reference) = try Self.randomTree(leaves: 150, seed: 24)
        for size in 0...150 {
            #expect(try memory.root(size: UInt64(size)) == reference.root(size: size), "size \(size)")
        }
        let sizes = Array(1...70) + [95, 127, 128, 129, 150]
        for size in sizes {
            for index in 0..<size {
                #expect(try memory.inclusionProof(index: UInt64(index), size: UInt64(size)) == reference.path(index, 0..<size),
                        "leaf \(index) of \(size)")
            }
            for old in 1...size {
                #expect(try memory.consistencyProof(from: UInt64(old), to: UInt64(size)) == reference.consistency(old, size),
                        "\(old) to \(size)")
            }
        }
    }

    /// Every stored complete subtree equals the reference's hash of its leaves, and an append
    /// stores one node more than the trailing one bits of its index.
    @Test func appendsStoreExactlyTheCompleteSubtrees() throws {
        var generator = SeededGenerator(state: 7)
        var memory = MemoryNodes()
        var reference = ReferenceTree()
        for index in 0..<300 {
            let hash = MerkleHash.leaf([UInt8.random(in: 0...255, using: &generator)])
            let before = memory.nodes.count
            try memory.append(leafHash: hash)
            reference.leafHashes.append(hash)
            #expect(memory.nodes.count - before == 1 + UInt64(index).trailingZeroBitCount(ofComplement: ()))
        }
        for (id, hash) in memory.nodes {
            let first = Int(id.firstLeaf)
            #expect(reference.root(first..<first + (1 << id.level)) == hash, "\(id)")
        }
    }

    /// A builder continued from the stored right edge at any size (as each commit of appends
    /// starts one) finishes the same nodes as one that saw every leaf (as `ledger verify` and
    /// a rebuild recompute the tree), and both have the reference root at every size.
    @Test func aBuilderContinuedFromTheStoredEdgeFinishesTheSameNodes() throws {
        var generator = SeededGenerator(state: 9)
        var memory = MemoryNodes()
        var builder = MerkleTreeBuilder()
        var reference = ReferenceTree()
        #expect(builder.root == MerkleHash.emptyRoot)
        for index in 0..<700 {
            let hash = MerkleHash.leaf((0..<8).map { _ in UInt8.random(in: 0...255, using: &generator) })
            var continued = try MerkleTreeBuilder(size: UInt64(index), nodes: memory.read)
            #expect(continued.root == builder.root, "size \(index)")
            try memory.append(leafHash: hash)
            reference.leafHashes.append(hash)
            let finished = builder.append(leafHash: hash)
            #expect(finished.count == (~index).trailingZeroBitCount + 1, "leaf \(index)")  // one more than its trailing one bits
            #expect(continued.append(leafHash: hash) == finished, "leaf \(index)")
            #expect(builder.size == UInt64(index + 1))
            #expect(builder.root == reference.root(size: index + 1), "size \(index + 1)")
            #expect(continued.root == builder.root, "size \(index + 1)")
        }
    }

    /// A root, an inclusion proof and a consistency proof read O(log n) nodes, never more
    /// than two per level.
    @Test func rootsAndProofsReadLogarithmicallyManyNodes() throws {
        let (memory, _) = try Self.randomTree(leaves: 3000, seed: 5)
        var generator = SeededGenerator(state: 11)
        for _ in 0..<200 {
            let size = UInt64.random(in: 1...3000, using: &generator)
            let index = UInt64.random(in: 0..<size, using: &generator)
            let old = UInt64.random(in: 1...size, using: &generator)
            var reads = 0
            let counting = { (id: NodeID) throws(TransparencyError) -> [UInt8] in
                reads += 1
                return try memory.read(id)
            }
            _ = try MerkleTree.root(size: size, nodes: counting)
            _ = try MerkleTree.inclusionProof(index: index, size: size, nodes: counting)
            _ = try MerkleTree.consistencyProof(from: old, to: size, nodes: counting)
            #expect(reads <= 3 * 2 * 12, "\(reads) reads for size \(size)")
        }
    }

    @Test func everyProofInAThreeThousandLeafTreeVerifiesAndEveryAlteredOneFails() throws {
        let (memory, _) = try Self.randomTree(leaves: 3000, seed: 2024)
        var generator = SeededGenerator(state: 99)
        var roots: [[UInt8]] = []
        for size in 0...3000 { roots.append(try memory.root(size: UInt64(size))) }
        for size: UInt64 in [3000, 2048, 2049, 1, 2, 3] {
            for index in 0..<size {
                try Self.checkInclusion(memory, index: index, size: size, roots: roots, generator: &generator)
            }
        }
        for old: UInt64 in 1...3000 {
            try Self.checkConsistency(memory, from: old, to: 3000, roots: roots, generator: &generator)
        }
        for _ in 0..<3000 {
            let size = UInt64.random(in: 1...3000, using: &generator)
            try Self.checkInclusion(memory, index: UInt64.random(in: 0..<size, using: &generator), size: size, roots: roots, generator: &generator)
            try Self.checkConsistency(memory, from: UInt64.random(in: 1...size, using: &generator), to: size, roots: roots, generator: &generator)
        }
    }

    @Test func everyPairOfSizesUpToOneHundredIsConsistent() throws {
        let (memory, _) = try Self.randomTree(leaves: 100, seed: 3)
        var generator = SeededGenerator(state: 4)
        var roots: [[UInt8]] = []
        for size in 0...100 { roots.append(try memory.root(size: UInt64(size))) }
        for size: UInt64 in 1...100 {
            for old in 1...size {
                try Self.checkConsistency(memory, from: old, to: size, roots: roots, generator: &generator)
            }
            for index in 0..<size {
                try Self.checkInclusion(memory, index: index, size: size, roots: roots, generator: &generator)
            }
        }
    }

    /// The proof verifies; with one hash changed, the index off by one, or the size (and the
    /// root of that size) off by one, it does not.
    static func checkInclusion(_ memory: MemoryNodes, index: UInt64, size: UInt64, roots: [[UInt8]],
                               generator: inout SeededGenerator) throws {
        let proof = try memory.inclusionProof(index: index, size: size)
        let leaf = try memory.read(NodeID(level: 0, index: index))
        let root = roots[Int(size)]
        #expect(proof.count == MerkleProof.inclusionLength(index: index, size: size))
        #expect(throws: Never.self) { try MerkleProof.verifyInclusion(index: index, size: size, leafHash: leaf, proof: proof, root: root) }
        if !proof.isEmpty {
            var altered = proof
            let position = Int.random(in: 0..<proof.count, using: &generator)
            altered[position][Int.random(in: 0..<32, using: &generator)] ^= 1 << UInt8.random(in: 0...7, using: &generator)
            #expect(throws: TransparencyError(.proofRejected, "")) {
                try MerkleProof.verifyInclusion(index: index, size: size, leafHash: leaf, proof: altered, root: root)
            }
            #expect(throws: TransparencyError(.proofRejected, "")) {
                try MerkleProof.verifyInclusion(index: index, size: size, leafHash: leaf, proof: Array(proof.dropLast()), root: root)
            }
        }
        #expect(throws: TransparencyError(.proofRejected, "")) {
            try MerkleProof.verifyInclusion(index: index, size: size, leafHash: leaf, proof: proof + [root], root: root)
        }
        for wrong in [index &- 1, index + 1] where wrong != UInt64.max {
            #expect(throws: TransparencyError(.proofRejected, "")) {
                try MerkleProof.verifyInclusion(index: wrong, size: size, leafHash: leaf, proof: proof, root: root)
            }
        }
        for wrong in [size - 1, size + 1] where wrong > index && Int(wrong) < roots.count {
            #expect(throws: TransparencyError(.proofRejected, "")) {
                try MerkleProof.verifyInclusion(index: index, size: wrong, leafHash: leaf, proof: proof, root: roots[Int(wrong)])
            }
        }
    }

    static func checkConsistency(_ memory: MemoryNodes, from old: UInt64, to new: UInt64, roots: [[UInt8]],
                                 generator: inout SeededGenerator) throws {
        let proof = try memory.consistencyProof(from: old, to: new)
        let oldRoot = roots[Int(old)]
        let newRoot = roots[Int(new)]
        #expect(proof.count == MerkleProof.consistencyLength(from: old, to: new))
        #expect(throws: Never.self) {
            try MerkleProof.verifyConsistency(from: old, to: new, oldRoot: oldRoot, newRoot: newRoot, proof: proof)
        }
        if !proof.isEmpty {
            var altered = proof
            let position = Int.random(in: 0..<proof.count, using: &generator)
            altered[position][Int.random(in: 0..<32, using: &generator)] ^= 1 << UInt8.random(in: 0...7, using: &generator)
            #expect(throws: TransparencyError(.proofRejected, "")) {
                try MerkleProof.verifyConsistency(from: old, to: new, oldRoot: oldRoot, newRoot: newRoot, proof: altered)
            }
            #expect(throws: TransparencyError(.proofRejected, "")) {
                try MerkleProof.verifyConsistency(from: old, to: new, oldRoot: oldRoot, newRoot: newRoot, proof: Array(proof.dropFirst()))
            }
        }
        #expect(throws: TransparencyError(.proofRejected, "")) {
            try MerkleProof.verifyConsistency(from: old, to: new, oldRoot: oldRoot, newRoot: newRoot, proof: proof + [newRoot])
        }
        // Another old size, with that size's root.
        for wrong in [old - 1, old + 1] where wrong >= 1 && wrong <= new && wrong != old {
            #expect(throws: TransparencyError(.proofRejected, "")) {
                try MerkleProof.verifyConsistency(from: wrong, to: new, oldRoot: roots[Int(wrong)], newRoot: newRoot, proof: proof)
            }
        }
        // Another new size, with that size's root.
        for wrong in [new - 1, new + 1] where wrong >= old && Int(wrong) < roots.count && wrong != new {
            #expect(throws: TransparencyError(.proofRejected, "")) {
                try MerkleProof.verifyConsistency(from: old, to: wrong, oldRoot: oldRoot, newRoot: roots[Int(wrong)], proof: proof)
            }
        }
        // The right sizes, a root from another size.
        if old != new {
            #expect(throws: TransparencyError(.proofRejected, "")) {
                try MerkleProof.verifyConsistency(from: old, to: new, oldRoot: roots[Int(old) - 1], newRoot: newRoot, proof: proof)
            }
        }
    }
}

extension UInt64 {
    /// The number of trailing one bits.
    func trailingZeroBitCount(ofComplement: Void) -> Int { (~self).trailingZeroBitCount }
}
