import FuzzSupport
import Signing

/// The signed-request document, as `ledger submit` and the Airboss read it: any input is
/// refused with a reason or read; what is read is written back canonically and read again to
/// the same request, and its envelope re-encodes to the very bytes that were signed.
enum FuzzSignedRequest {
    static func check(_ bytes: [UInt8]) {
        guard let request = try? SignedRequest(document: bytes) else { return }
        FuzzInput.require(bytes.count <= SignedRequest.maximumDocumentByteCount, "read a document over the limit")
        FuzzInput.require(request.envelope.canonicalBytes == request.bytes, "an envelope read is not its canonical bytes")
        let again = try? SignedRequest(document: request.document)
        FuzzInput.require(again?.bytes == request.bytes && again?.signature == request.signature && again?.envelope == request.envelope,
                          "the canonical document does not read back to the same request")
    }
}

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzSignedRequest.check(FuzzInput.bytes(data, size))
    return 0
}
#else
@main enum Replay {
    static func main() { FuzzInput.replay(FuzzSignedRequest.check) }
}
#endif
