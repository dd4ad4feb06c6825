import Foundation
import Signing
import Testing
import TestSupport
import Transparency

/// The seed corpora of fuzz-note and fuzz-proof, written from the code that writes the
/// formats: Ed25519 signatures are deterministic, so the files are golden files
/// (`ROCKS_UPDATE_GOLDEN=1` rewrites them), and the fuzzers start from inputs that pass.
@Suite struct FuzzSeedTests {
    static let origin = "frontend.example/rocks/00112233445566778899aabbccddeeff"

    /// A fixed key, so the seeds stay the same: its seed is SHA-256 of a fixed phrase.
    static func signer() throws -> NoteSigner {
        let seed = SHA256.hash(Array("rocks fuzz-proof seed key".utf8))
        let der: [UInt8] = [0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20] + seed
        let key = try PrivateKey(pem: "-----BEGIN PRIVATE KEY-----\n\(Base64.encode(der))\n-----END PRIVATE KEY-----\n")
        return try NoteSigner(name: origin, privateKey: key)
    }

    static func proofSeeds() throws -> [String: [UInt8]] {
        let signer = try signer()
        var memory = MemoryNodes()
        var leaves: [[UInt8]] = []
        for index in 0..<21 {
            leaves.append(SHA256.hash([UInt8(index)]))
            try memory.append(leafHash: MerkleHash.leaf(leaves[index]))
        }
        func checkpoint(_ size: UInt64) throws -> SignedCheckpoint {
            try SignedCheckpoint.sign(Checkpoint(origin: origin, size: size, root: memory.root(size: size)), with: signer)
        }
        var seeds: [String: [UInt8]] = [:]
        seeds["inclusion-extra"] = try InclusionProofFile(extra: leaves[6], index: 6, path: memory.inclusionProof(index: 6, size: 21), checkpoint: checkpoint(21)).bytes
        seeds["inclusion-plain"] = try InclusionProofFile(extra: nil, index: 20, path: memory.inclusionProof(index: 20, size: 21), checkpoint: checkpoint(21)).bytes
        seeds["inclusion-single"] = try InclusionProofFile(extra: [], index: 0, path: [], checkpoint: checkpoint(1)).bytes
        seeds["consistency-13-21"] = try ConsistencyProofFile(oldSize: 13, proof: memory.consistencyProof(from: 13, to: 21), checkpoint: checkpoint(21)).bytes
        seeds["consistency-8-21"] = try ConsistencyProofFile(oldSize: 8, proof: memory.consistencyProof(from: 8, to: 21), checkpoint: checkpoint(21)).bytes
        seeds["consistency-0-21"] = try ConsistencyProofFile(oldSize: 0, proof: [], checkpoint: checkpoint(21)).bytes
        seeds["consistency-equal"] = try ConsistencyProofFile(oldSize: 21, proof: [], checkpoint: checkpoint(21)).bytes
        return seeds
    }

    static func noteSeeds() throws -> [String: [UInt8]] {
        let vectors = try NoteVectors.load()
        let signer = try signer()
        var seeds: [String: [UInt8]] = [:]
        seeds["go-note"] = Array((vectors.text + "\n" + vectors.peter.signatureLine + vectors.enoch.signatureLine).utf8)
        seeds["go-vkey"] = Array(vectors.peter.verifierKey.utf8)
        seeds["c2sp-note"] = Array(vectors.c2spNote.utf8)
        seeds["c2sp-checkpoint"] = Array(vectors.c2spCheckpoint.utf8)
        let checkpoint = try Checkpoint(origin: origin, size: 21, root: SHA256.hash([21]))
        seeds["checkpoint-signed"] = try SignedCheckpoint.sign(checkpoint, with: signer).bytes
        seeds["checkpoint-body"] = checkpoint.text
        seeds["checkpoint-extensions"] = Array("log.example\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\nextension\n".utf8)
        seeds["vkey"] = Array(signer.verifierKey.description.utf8)
        return seeds
    }

    @Test(arguments: ["fuzz-note", "fuzz-proof"])
    func theSeedCorpusIsWhatTheWritersWrite(target: String) throws {
        let seeds = try target == "fuzz-note" ? Self.noteSeeds() : Self.proofSeeds()
        for (name, bytes) in seeds {
            #expect(try Fixtures.matchesGolden(String(decoding: bytes, as: UTF8.self), "fuzz/\(target)/\(name)"), "\(target)/\(name)")
        }
    }

    @Test func theFuzzKeyIsTheOneFuzzProofTrusts() throws {
        let source = try String(contentsOfFile: Fixtures.repository + "/Tests/Fuzz/fuzz-proof/FuzzProof.swift", encoding: .utf8)
        #expect(source.contains("\"\(try Self.signer().verifierKey.description)\""))
    }
}
