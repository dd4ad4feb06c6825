import FuzzSupport
import Signing
import Transparency

/// Signed notes, checkpoint bodies and verifier keys, as an auditor's tools read them from
/// strangers: any input is refused with a reason or read; what is read is written back to the
/// very bytes given (each format has one spelling), and verifying a note read never traps.
enum FuzzNote {
    /// golang/mod's sumdb/note test key, so the corpus's Go notes reach signature checking.
    static let key = try! NoteVerifierKey("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")

    static func check(_ bytes: [UInt8]) {
        if let note = try? SignedNote(parsing: bytes) {
            FuzzInput.require(bytes.count <= SignedNote.sizeLimit, "read a note over the size limit")
            FuzzInput.require(!note.signatures.isEmpty && note.signatures.count <= SignedNote.signatureLimit, "read a note with \(note.signatures.count) signatures")
            FuzzInput.require(note.bytes == bytes, "a note read is not written back as given")
            FuzzInput.require(note.text.last == 0x0a, "a note's text does not end in a newline")
            FuzzInput.require((try? SignedNote(parsing: note.bytes)) == note, "a note written does not read back")
            if let verified = try? note.verify([key]) {
                FuzzInput.require(verified.count == 1 && verified[0].name == key.name, "verified a signature by another key")
            }
            if let checkpoint = try? Checkpoint(text: note.text) {
                FuzzInput.require(checkpoint.text == note.text, "a checkpoint read is not written back as given")
            }
        }
        if let checkpoint = try? Checkpoint(text: bytes) {
            FuzzInput.require(checkpoint.text == bytes, "a checkpoint read is not written back as given")
            FuzzInput.require(checkpoint.root.count == 32, "a checkpoint root is not 32 bytes")
        }
        let text = String(decoding: bytes, as: UTF8.self)
        if Array(text.utf8) == bytes, let verifier = try? NoteVerifierKey(text) {
            FuzzInput.require(verifier.description == text, "a verifier key read is not written back as given")
            FuzzInput.require((try? NoteVerifierKey(verifier.description)) == verifier, "a verifier key written does not read back")
        }
    }
}

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzNote.check(FuzzInput.bytes(data, size))
    return 0
}
#else
@main enum Replay {
    static func main() { FuzzInput.replay(FuzzNote.check) }
}
#endif
