import Testing
import Transparency

/// The edge cases other logs' verifiers got wrong: size 0, equal sizes, a proof from size 0,
/// an empty path with a non-zero remainder, and hashes of the wrong length.
@Suite struct MerkleEdgeCaseTests {
    static let rejected = TransparencyError(.proofRejected, "")
    static let invalid = TransparencyError(.invalidArgument, "")

    static func tree(_ leaves: Int) throws -> MemoryNodes {
        var memory = MemoryNodes()
        for leaf in 0..<leaves { try memory.append(leafHash: MerkleHash.leaf([UInt8(leaf)])) }
        return memory
    }

    @Test func theEmptyTreeHasTheEmptyRootAndIncludesNothing() throws {
        let memory = try Self.tree(0)
        #expect(try memory.root(size: 0) == MerkleHash.emptyRoot)
        #expect(throws: Self.invalid) { try memory.inclusionProof(index: 0, size: 0) }
        #expect(throws: Self.rejected) {
            try MerkleProof.verifyInclusion(index: 0, size: 0, leafHash: MerkleHash.emptyRoot, proof: [], root: MerkleHash.emptyRoot)
        }
    }

    @Test func anIndexAtOrPastTheSizeIsRefused() throws {
        let memory = try Self.tree(5)
        let root = try memory.root(size: 5)
        let leaf = try memory.read(NodeID(level: 0, index: 4))
        #expect(throws: Self.invalid) { try memory.inclusionProof(index: 5, size: 5) }
        #expect(throws: Self.rejected) {
            try MerkleProof.verifyInclusion(index: 5, size: 5, leafHash: leaf, proof: [], root: root)
        }
        #expect(throws: Self.rejected) {
            try MerkleProof.verifyInclusion(index: .max, size: 5, leafHash: leaf, proof: [], root: root)
        }
    }

    @Test func aSingleLeafTreeNeedsAnEmptyPath() throws {
        let leaf = MerkleHash.leaf([1])
        #expect(throws: Never.self) { try MerkleProof.verifyInclusion(index: 0, size: 1, leafHash: leaf, proof: [], root: leaf) }
        #expect(throws: Self.rejected) { try MerkleProof.verifyInclusion(index: 0, size: 1, leafHash: leaf, proof: [leaf], root: leaf) }
    }

    /// The path that stops while leaves remain above it: a verifier that only hashes what it
    /// is given would return the leaf (or an inner node) as the root.
    @Test func anEmptyOrShortPathWithLeavesLeftIsRefused() throws {
        let memory = try Self.tree(6)
        let leaf = try memory.read(NodeID(level: 0, index: 4))
        let proof = try memory.inclusionProof(index: 4, size: 6)
        #expect(proof.count == 2)
        #expect(throws: Self.rejected) { try MerkleProof.verifyInclusion(index: 4, size: 6, leafHash: leaf, proof: [], root: leaf) }
        let partial = MerkleHash.node(leaf, proof[0])
        #expect(throws: Self.rejected) { try MerkleProof.verifyInclusion(index: 4, size: 6, leafHash: leaf, proof: [proof[0]], root: partial) }
        #expect(throws: Self.rejected) {
            try MerkleProof.verifyConsistency(from: 4, to: 6, oldRoot: try memory.root(size: 4), newRoot: try memory.root(size: 6), proof: [])
        }
    }

    @Test func equalSizesNeedAnEmptyProofAndEqualRoots() throws {
        let memory = try Self.tree(7)
        let root = try memory.root(size: 7)
        #expect(try memory.consistencyProof(from: 7, to: 7).isEmpty)
        #expect(throws: Never.self) { try MerkleProof.verifyConsistency(from: 7, to: 7, oldRoot: root, newRoot: root, proof: []) }
        #expect(throws: Self.rejected) { try MerkleProof.verifyConsistency(from: 7, to: 7, oldRoot: root, newRoot: root, proof: [root]) }
        #expect(throws: Self.rejected) {
            try MerkleProof.verifyConsistency(from: 7, to: 7, oldRoot: root, newRoot: try memory.root(size: 6), proof: [])
        }
    }

    /// RFC 9162 gives no proof from the empty tree; transparency-dev refuses one, even for two
    /// empty trees. The proof is empty (as tlog-witness sends it) and verification refuses it:
    /// "every tree extends the empty tree" is for the caller to say (Checkpoint does).
    @Test func aProofFromSizeZeroIsEmptyAndRefusedByTheVerifier() throws {
        let memory = try Self.tree(3)
        #expect(try memory.consistencyProof(from: 0, to: 3).isEmpty)
        #expect(try memory.consistencyProof(from: 0, to: 0).isEmpty)
        let root = try memory.root(size: 3)
        #expect(throws: Self.rejected) {
            try MerkleProof.verifyConsistency(from: 0, to: 3, oldRoot: MerkleHash.emptyRoot, newRoot: root, proof: [])
        }
        #expect(throws: Self.rejected) {
            try MerkleProof.verifyConsistency(from: 0, to: 0, oldRoot: MerkleHash.emptyRoot, newRoot: MerkleHash.emptyRoot, proof: [])
        }
    }

    @Test func aShrinkingTreeIsRefused() throws {
        let memory = try Self.tree(4)
        #expect(throws: Self.invalid) { try memory.consistencyProof(from: 4, to: 3) }
        #expect(throws: Self.rejected) {
            try MerkleProof.verifyConsistency(from: 4, to: 3, oldRoot: try memory.root(size: 4), newRoot: try memory.root(size: 3), proof: [])
        }
    }

    @Test func hashesOfTheWrongLengthAreRefused() throws {
        let memory = try Self.tree(4)
        let root = try memory.root(size: 4)
        let leaf = try memory.read(NodeID(level: 0, index: 1))
        var proof = try memory.inclusionProof(index: 1, size: 4)
        #expect(throws: Self.rejected) {
            try MerkleProof.verifyInclusion(index: 1, size: 4, leafHash: leaf, proof: proof, root: Array(root.dropLast()))
        }
        #expect(throws: Self.rejected) {
            try MerkleProof.verifyInclusion(index: 1, size: 4, leafHash: leaf + [0], proof: proof, root: root)
        }
        proof[0].append(0)
        #expect(throws: Self.rejected) { try MerkleProof.verifyInclusion(index: 1, size: 4, leafHash: leaf, proof: proof, root: root) }
    }

    @Test func aDamagedStoredNodeIsReportedNotHashed() throws {
        let damaged = { (_: NodeID) throws(TransparencyError) -> [UInt8] in [0, 1] }
        #expect(throws: TransparencyError(.unreadableNode, "")) { try MerkleTree.root(size: 3, nodes: damaged) }
        // An append's commit starts from the stored right edge: a damaged edge node stops it.
        #expect(throws: TransparencyError(.unreadableNode, "")) { try MerkleTreeBuilder(size: 3, nodes: damaged) }
        #expect(try MerkleTreeBuilder(size: 0, nodes: damaged).root == MerkleHash.emptyRoot)
    }
}
