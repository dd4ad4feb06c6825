import FuzzSupport
import Ledger
import Signing

/// Every reader of a stored record or request, held to the full parse's answers.
///
/// - A rebuild's read (`.layoutAndDigest`) accepts every record the full read accepts, with
///   the same sequence, time, key id, op and nonce; and the full read accepts exactly the
///   records whose rebuild read, request and canonical decision are all accepted.
/// - The backwards tail reader of a stored envelope, where it answers, agrees with the full
///   parse of it.
/// - The in-place `denied` lookup agrees with the parsed decision's.
/// - A stored checkpoint of either kind (signed note, or JSON from before the tree), read,
///   writes back as it reads.
///
/// The digest is recomputed over the input first, so the fuzzer reaches past the digest
/// check into the layout and the request (damage the digest hides is what these readers meet
/// when a record is forged).
enum FuzzRecord {
    static func check(_ input: [UInt8]) {
        var bytes = input
        if bytes.count > 32 { bytes.replaceSubrange((bytes.count - 32)..., with: SHA256.hash(Array(bytes.dropLast(32)))) }
        let full = try? Record(stored: bytes)
        let quick = bytes.withUnsafeBytes { raw in try? Record(stored: raw, checks: .layoutAndDigest) }
        if let full {
            guard let quick else { return FuzzInput.require(false, "the rebuild read refuses a record the full read accepts") }
            FuzzInput.require(quick.sequence == full.sequence && quick.appended == full.appended && quick.keyID == full.keyID
                && quick.op == full.op && quick.nonce == full.nonce, "the rebuild read and the full read disagree")
            FuzzInput.require(quick.denial == full.denial, "the in-place denial differs between reads")
            FuzzInput.require(full.denial == (try? full.parsedDecision())?["denied"]?.stringValue, "the in-place denial differs from the parsed one")
        }
        if let quick {
            // The full read's checks, one by one: the request in full and canonical (a fold's
            // parse of it skips the canonical comparison), and the decision a canonical object.
            let request = try? quick.request
            let deep = request.map { (try? RequestEnvelope(parsing: $0.bytes)) != nil } == true
                && (try? CanonicalJSON.decode(quick.decision))?.objectValue != nil
            FuzzInput.require(deep == (full != nil), "the full read \(full == nil ? "refuses" : "accepts") a record whose parts say otherwise")
            _ = quick.denial
        }
        if let checkpoint = try? StoredCheckpoint(bytes: input) {
            FuzzInput.require((try? StoredCheckpoint(bytes: checkpoint.bytes)) == checkpoint, "a checkpoint written does not read back")
            if case .note = checkpoint { FuzzInput.require(checkpoint.bytes == input, "a note checkpoint is not written back as given") }
        }
        // The request envelope alone, as the tail reader and the full parse see it.
        input.withUnsafeBytes { raw in
            guard let tail = RequestEnvelope.Summary(tail: raw), let envelope = try? RequestEnvelope(parsingStored: input) else { return }
            FuzzInput.require(tail.op == envelope.op && tail.key == envelope.key && tail.nonce == envelope.nonce,
                              "the tail reader and the full parse of an envelope disagree")
        }
    }
}

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzRecord.check(FuzzInput.bytes(data, size))
    return 0
}
#else
@main enum Replay {
    static func main() { FuzzInput.replay(FuzzRecord.check) }
}
#endif
