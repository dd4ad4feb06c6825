import FuzzSupport
import Signing
import Transparency

/// tlog-proof@v1 files and consistency proof files, as `rocks ledger verify-proof` and
/// `pilot` read them: any input is refused with a reason or read; what is read is written
/// back to the very bytes given, and verifying it against a key never traps.
enum FuzzProof {
    /// The key the seed corpus's proofs are signed with: FuzzSeedTests writes them.
    static let key = try! NoteVerifierKey("frontend.example/rocks/00112233445566778899aabbccddeeff+fbc4af5f+AQXYmVEzq+DSCGKPuhMPGwfT9QiV7/xfKvdwtZlsgWzA")

    static func check(_ bytes: [UInt8]) {
        if let file = try? InclusionProofFile(parsing: bytes) {
            FuzzInput.require(bytes.count <= InclusionProofFile.sizeLimit, "read a proof file over the size limit")
            FuzzInput.require(file.path.count <= InclusionProofFile.pathLimit, "read a path of \(file.path.count) hashes")
            FuzzInput.require(file.bytes == bytes, "a proof file read is not written back as given")
            FuzzInput.require((try? InclusionProofFile(parsing: file.bytes)) == file, "a proof file written does not read back")
            if let checkpoint = try? file.verify(leafHash: file.extra.map(MerkleHash.leaf) ?? MerkleHash.emptyRoot, key: key) {
                FuzzInput.require(file.index < checkpoint.size, "verified an index outside the tree")
            }
        }
        if let file = try? ConsistencyProofFile(parsing: bytes) {
            FuzzInput.require(file.proof.count <= ConsistencyProofFile.proofLimit, "read a proof of \(file.proof.count) hashes")
            FuzzInput.require(file.bytes == bytes, "a consistency proof file read is not written back as given")
            FuzzInput.require((try? ConsistencyProofFile(parsing: file.bytes)) == file, "a consistency proof file written does not read back")
            // The file's own checkpoint as the old one: consistent only with itself.
            if let (old, new) = try? file.verify(old: file.checkpoint, key: key) {
                FuzzInput.require(old == new && file.oldSize == new.size && file.proof.isEmpty,
                                  "a checkpoint was found consistent with itself through a non-empty proof")
            }
        }
    }
}

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzProof.check(FuzzInput.bytes(data, size))
    return 0
}
#else
@main enum Replay {
    static func main() { FuzzInput.replay(FuzzProof.check) }
}
#endif
