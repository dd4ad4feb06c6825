import Signing
import Testing
import Transparency

/// tlog-proof@v1 files and consistency proof files: written, read back byte for byte,
/// verified offline, and refused when anything in them is wrong.
@Suite struct ProofFileTests {
    static let origin = "frontend.example/rocks/00112233445566778899aabbccddeeff"
    static let malformed = TransparencyError(.malformed, "")
    static let rejected = TransparencyError(.proofRejected, "")

    struct Log {
        let signer: NoteSigner
        var memory = MemoryNodes()
        var leaves: [[UInt8]] = []

        init(_ count: Int, seed: UInt8 = 0) throws {
            signer = try NoteSigner(name: ProofFileTests.origin, privateKey: .generate())
            for index in 0..<count {
                // A 32-byte commitment per record, as the ledger's leaves are.
                let leaf = SHA256.hash([seed, UInt8(index & 0xff), UInt8(index >> 8)])
                leaves.append(leaf)
                try memory.append(leafHash: MerkleHash.leaf(leaf))
            }
        }

        func checkpoint(_ size: UInt64) throws -> SignedCheckpoint {
            try SignedCheckpoint.sign(Checkpoint(origin: ProofFileTests.origin, size: size, root: memory.root(size: size)), with: signer)
        }

        func inclusion(_ index: UInt64, size: UInt64, extra: [UInt8]? = nil) throws -> InclusionProofFile {
            try InclusionProofFile(extra: extra, index: index, path: memory.inclusionProof(index: index, size: size), checkpoint: checkpoint(size))
        }

        func consistency(from old: UInt64, to new: UInt64) throws -> ConsistencyProofFile {
            try ConsistencyProofFile(oldSize: old, proof: memory.consistencyProof(from: old, to: new), checkpoint: checkpoint(new))
        }
    }

    @Test func anInclusionProofFileReadsBackAndVerifiesOffline() throws {
        let log = try Log(13)
        let key = try NoteVerifierKey(log.signer.verifierKey.description)
        for extra in [nil, [], log.leaves[6]] as [[UInt8]?] {
            let file = try log.inclusion(6, size: 13, extra: extra)
            let text = String(decoding: file.bytes, as: UTF8.self)
            #expect(text.hasPrefix("c2sp.org/tlog-proof@v1\n" + (extra.map { "extra \(Base64.encode($0))\n" } ?? "") + "index 6\n"))
            #expect(text.contains("\n\n\(Self.origin)\n13\n"))
            let reread = try InclusionProofFile(parsing: file.bytes)
            #expect(reread == file)
            #expect(reread.bytes == file.bytes)
            #expect(try reread.verify(leaf: log.leaves[6], key: key).size == 13)
            #expect(throws: Self.rejected) { try reread.verify(leaf: log.leaves[7], key: key) }
        }
    }

    @Test func anInclusionProofWithAnythingWrongIsRefused() throws {
        let log = try Log(13)
        let key = log.signer.verifierKey
        let file = try log.inclusion(6, size: 13)
        var path = file.path
        path[1][0] ^= 1
        let checkpoint = try log.checkpoint(13)
        #expect(throws: Self.rejected) {
            try InclusionProofFile(extra: nil, index: 6, path: path, checkpoint: checkpoint).verify(leaf: log.leaves[6], key: key)
        }
        #expect(throws: Self.rejected) {
            try InclusionProofFile(extra: nil, index: 7, path: file.path, checkpoint: checkpoint).verify(leaf: log.leaves[6], key: key)
        }
        // The path of another tree size, under this checkpoint.
        #expect(throws: Self.rejected) {
            try InclusionProofFile(extra: nil, index: 6, path: log.memory.inclusionProof(index: 6, size: 12), checkpoint: checkpoint)
                .verify(leaf: log.leaves[6], key: key)
        }
        // An index at the size.
        #expect(throws: Self.rejected) {
            try InclusionProofFile(extra: nil, index: 13, path: [], checkpoint: checkpoint).verify(leaf: log.leaves[6], key: key)
        }
        // Another log's key.
        #expect(throws: TransparencyError(.signatureRejected, "")) { try file.verify(leaf: log.leaves[6], key: Log(1).signer.verifierKey) }
        // The checkpoint's size edited: the signature no longer verifies.
        let edited = String(decoding: file.bytes, as: UTF8.self).replacingOccurrences(of: "\n13\n", with: "\n14\n")
        #expect(throws: TransparencyError(.signatureRejected, "")) {
            try InclusionProofFile(parsing: Array(edited.utf8)).verify(leaf: log.leaves[6], key: key)
        }
    }

    @Test(arguments: [
        "",
        "c2sp.org/tlog-proof@v2\nindex 0\n\n",
        "c2sp.org/tlog-proof@v1\n",
        "c2sp.org/tlog-proof@v1\nindex 00\n\n",
        "c2sp.org/tlog-proof@v1\nindex -1\n\n",
        "c2sp.org/tlog-proof@v1\nextra !!!!\nindex 0\n\n",
        "c2sp.org/tlog-proof@v1\nindex 0\nAAAA\n\n",
        "c2sp.org/tlog-proof@v1\nindex 0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n",
        "c2sp.org/tlog-proof@v1\nindex 0\n\nnot a note\n",
        "c2sp.org/tlog-proof@v1\nindex 0\n\nnot a checkpoint\n\n— a AAAAAAA=\n",
    ])
    func malformedInclusionProofFilesAreRefused(_ text: String) {
        #expect(throws: Self.malformed) { try InclusionProofFile(parsing: Array(text.utf8)) }
    }

    @Test func aPathOfMoreThanSixtyFourHashesIsRefused() {
        let line = Base64.encode(MerkleHash.emptyRoot) + "\n"
        let text = "c2sp.org/tlog-proof@v1\nindex 0\n" + String(repeating: line, count: 65) + "\nlog\n0\n\(line)\n— a AAAAAAA=\n"
        #expect(throws: TransparencyError(.tooLarge, "")) { try InclusionProofFile(parsing: Array(text.utf8)) }
    }

    @Test func aConsistencyProofFileReadsBackAndVerifiesOffline() throws {
        let log = try Log(40)
        let key = try NoteVerifierKey(log.signer.verifierKey.description)
        for (old, new) in [(1, 40), (8, 40), (13, 40), (40, 40), (0, 40), (0, 0), (13, 14)] as [(UInt64, UInt64)] {
            let file = try log.consistency(from: old, to: new)
            let text = String(decoding: file.bytes, as: UTF8.self)
            #expect(text.hasPrefix("old \(old)\n"))
            let reread = try ConsistencyProofFile(parsing: file.bytes)
            #expect(reread == file)
            #expect(reread.bytes == file.bytes)
            let (verifiedOld, verifiedNew) = try reread.verify(old: log.checkpoint(old).note, key: key)
            #expect(verifiedOld.size == old && verifiedNew.size == new)
        }
    }

    @Test func aConsistencyProofThatDoesNotLinkTheCheckpointsIsRefused() throws {
        let log = try Log(40)
        let key = log.signer.verifierKey
        let file = try log.consistency(from: 13, to: 40)
        // The old checkpoint of another size than the file names.
        #expect(throws: Self.rejected) { try file.verify(old: log.checkpoint(12).note, key: key) }
        // A forked history signed by the same key: same size, other root.
        var forked = try Log(40, seed: 5)
        forked = Log(signer: log.signer, memory: forked.memory, leaves: forked.leaves)
        #expect(throws: TransparencyError(.fork, "")) {
            try ConsistencyProofFile(oldSize: 40, proof: [], checkpoint: log.checkpoint(40)).verify(old: forked.checkpoint(40).note, key: key)
        }
        #expect(throws: Self.rejected) { try file.verify(old: forked.checkpoint(13).note, key: key) }
        // A proof hash changed.
        var proof = file.proof
        proof[0][31] ^= 0x80
        #expect(throws: Self.rejected) {
            try ConsistencyProofFile(oldSize: 13, proof: proof, checkpoint: log.checkpoint(40)).verify(old: log.checkpoint(13).note, key: key)
        }
        // The old checkpoint signed by another key.
        #expect(throws: TransparencyError(.signatureRejected, "")) {
            let stranger = try NoteSigner(name: Self.origin, privateKey: .generate())
            let old = try SignedCheckpoint.sign(Checkpoint(origin: Self.origin, size: 13, root: log.memory.root(size: 13)), with: stranger)
            try file.verify(old: old.note, key: key)
        }
        // From size 0, a proof must be empty.
        #expect(throws: Self.rejected) {
            try ConsistencyProofFile(oldSize: 0, proof: [MerkleHash.emptyRoot], checkpoint: log.checkpoint(40)).verify(old: log.checkpoint(0).note, key: key)
        }
    }

    @Test(arguments: [
        "",
        "old\n\n",
        "old 01\n\n",
        "new 1\n\n",
        "old 1\nAAAA\n\n",
        "old 1\n\n",
        "old 1\n\nnot a note\n",
    ])
    func malformedConsistencyProofFilesAreRefused(_ text: String) {
        #expect(throws: Self.malformed) { try ConsistencyProofFile(parsing: Array(text.utf8)) }
    }

    @Test func moreThanSixtyThreeConsistencyHashesAreRefused() {
        let line = Base64.encode(MerkleHash.emptyRoot) + "\n"
        let text = "old 1\n" + String(repeating: line, count: 64) + "\nlog\n0\n\(line)\n— a AAAAAAA=\n"
        #expect(throws: TransparencyError(.tooLarge, "")) { try ConsistencyProofFile(parsing: Array(text.utf8)) }
    }
}

extension ProofFileTests.Log {
    init(signer: NoteSigner, memory: MemoryNodes, leaves: [[UInt8]]) {
        self.signer = signer
        self.memory = memory
        self.leaves = leaves
    }
}
