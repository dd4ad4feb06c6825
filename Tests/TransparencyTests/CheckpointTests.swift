import Signing
import Testing
import Transparency

/// c2sp.org/tlog-checkpoint bodies, signed and verified, and the detection of forks.
@Suite struct CheckpointTests {
    static let malformed = TransparencyError(.malformed, "")
    static let origin = "frontend.example/rocks/00112233445566778899aabbccddeeff"

    static func signer() throws -> NoteSigner { try NoteSigner(name: origin, privateKey: .generate()) }

    static func tree(_ leaves: Int, seed: UInt8 = 0) throws -> MemoryNodes {
        var memory = MemoryNodes()
        for leaf in 0..<leaves { try memory.append(leafHash: MerkleHash.leaf([seed, UInt8(leaf & 0xff), UInt8(leaf >> 8)])) }
        return memory
    }

    @Test func theOriginIsTheFrontendTheWordRocksAndTheLedgerID() throws {
        let ledger = try #require(LedgerID(hex: "00112233445566778899aabbccddeeff"))
        #expect(Checkpoint.rocksOrigin(frontend: "frontend.example", ledger: ledger) == Self.origin)
    }

    @Test func aCheckpointIsThreeLinesAndReadsBack() throws {
        let root = MerkleHash.leaf([])
        let checkpoint = try Checkpoint(origin: Self.origin, size: 20_852_163, root: root)
        let text = String(decoding: checkpoint.text, as: UTF8.self)
        #expect(text == "\(Self.origin)\n20852163\n\(Base64.encode(root))\n")
        #expect(try Checkpoint(text: checkpoint.text) == checkpoint)
    }

    @Test func extensionLinesAreReadAndKept() throws {
        let text = Array("log.example\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\nextension one\nextension two\n".utf8)
        let checkpoint = try Checkpoint(text: text)
        #expect(checkpoint.extensions == ["extension one", "extension two"])
        #expect(checkpoint.root == MerkleHash.emptyRoot)
        #expect(checkpoint.text == text)
    }

    @Test(arguments: [
        "log.example\n1\n",                                                       // no root
        "log.example\n1\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",         // no final newline
        "\n1\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n",                   // empty origin
        "log.example\n01\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n",       // leading zero
        "log.example\n+1\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n",       // sign
        "log.example\n\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n",         // empty size
        "log.example\n18446744073709551616\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n", // 2^64
        "log.example\n1\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuF=\n",         // 31 bytes... not base64 of 32
        "log.example\n1\nAAAA\n",                                                // 3 bytes
        "log.example\n1\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n\n",       // empty extension line
    ])
    func malformedCheckpointsAreRefused(_ text: String) {
        #expect(throws: Self.malformed) { try Checkpoint(text: Array(text.utf8)) }
    }

    /// Found by fuzz-note: an extension line of invalid UTF-8 read, then written back changed.
    @Test func aCheckpointOfInvalidUTF8IsRefused() {
        let text = Array("log.example\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n".utf8) + [0xa5, 0xd4, 0x0a]
        #expect(throws: Self.malformed) { try Checkpoint(text: text) }
    }

    @Test func theLargestSizeReads() throws {
        let text = "log.example\n18446744073709551615\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n"
        #expect(try Checkpoint(text: Array(text.utf8)).size == .max)
    }

    @Test func aSignedCheckpointVerifiesWithItsKeyWhoseNameIsTheOrigin() throws {
        let signer = try Self.signer()
        let checkpoint = try Checkpoint(origin: Self.origin, size: 3, root: Self.tree(3).root(size: 3))
        let signed = try SignedCheckpoint.sign(checkpoint, with: signer)
        let reread = try SignedCheckpoint(verifying: signed.bytes, key: NoteVerifierKey(signer.verifierKey.description))
        #expect(reread.checkpoint == checkpoint)
        #expect(reread.bytes == signed.bytes)
        #expect(throws: TransparencyError(.signatureRejected, "")) {
            try SignedCheckpoint(verifying: signed.bytes, key: Self.signer().verifierKey)
        }
        // The same key under another name is another log's key.
        let elsewhere = try NoteSigner(name: "other.example/log", privateKey: .generate())
        #expect(throws: TransparencyError(.wrongOrigin, "")) { try SignedCheckpoint.sign(checkpoint, with: elsewhere) }
        let foreign = try SignedNote.sign(checkpoint.text, with: [elsewhere])
        #expect(throws: TransparencyError(.wrongOrigin, "")) { try SignedCheckpoint(verifying: foreign.bytes, key: elsewhere.verifierKey) }
    }

    @Test func twoCheckpointsOfOneSizeWithDifferentRootsAreAFork() throws {
        let honest = try Checkpoint(origin: Self.origin, size: 5, root: Self.tree(5).root(size: 5))
        let forked = try Checkpoint(origin: Self.origin, size: 5, root: Self.tree(5, seed: 1).root(size: 5))
        #expect(throws: TransparencyError(.fork, "")) { try Checkpoint.checkConsistent(honest, forked, proof: []) }
        #expect(throws: Never.self) { try Checkpoint.checkConsistent(honest, honest, proof: []) }
        let emptyForked = try Checkpoint(origin: Self.origin, size: 0, root: MerkleHash.leaf([]))
        let empty = try Checkpoint(origin: Self.origin, size: 0, root: MerkleHash.emptyRoot)
        #expect(throws: TransparencyError(.fork, "")) { try Checkpoint.checkConsistent(emptyForked, honest, proof: []) }
        #expect(throws: Never.self) { try Checkpoint.checkConsistent(empty, honest, proof: []) }
        #expect(throws: Never.self) { try Checkpoint.checkConsistent(empty, empty, proof: []) }
        #expect(throws: TransparencyError(.proofRejected, "")) {
            try Checkpoint.checkConsistent(empty, honest, proof: [MerkleHash.emptyRoot])
        }
    }

    @Test func aConsistencyProofLinksTwoCheckpointsOfOneHistoryOnly() throws {
        let memory = try Self.tree(20)
        let forkedMemory = try Self.tree(20, seed: 9)
        let old = try Checkpoint(origin: Self.origin, size: 7, root: memory.root(size: 7))
        let new = try Checkpoint(origin: Self.origin, size: 20, root: memory.root(size: 20))
        let forkedNew = try Checkpoint(origin: Self.origin, size: 20, root: forkedMemory.root(size: 20))
        let proof = try memory.consistencyProof(from: 7, to: 20)
        #expect(throws: Never.self) { try Checkpoint.checkConsistent(old, new, proof: proof) }
        #expect(throws: Never.self) { try Checkpoint.checkConsistent(new, old, proof: proof) }
        #expect(throws: TransparencyError(.proofRejected, "")) { try Checkpoint.checkConsistent(old, forkedNew, proof: proof) }
        #expect(throws: TransparencyError(.proofRejected, "")) {
            try Checkpoint.checkConsistent(old, forkedNew, proof: forkedMemory.consistencyProof(from: 7, to: 20))
        }
        let otherLog = try Checkpoint(origin: "other.example/log", size: 20, root: memory.root(size: 20))
        #expect(throws: TransparencyError(.wrongOrigin, "")) { try Checkpoint.checkConsistent(old, otherLog, proof: proof) }
    }
}
