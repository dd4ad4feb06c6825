import Signing

/// Where each field of a stored record lies (see `docs/ledger-format.md`): the one reader of
/// the record layout, which `verify`, a rebuild, the head and the log all go through.
///
/// It checks the magic, the format version, every length against its limit and the total;
/// ``digestMatches(_:)`` checks the digest. The fields' contents are the readers' business.
package struct RecordLayout {
    /// The magic at the start of every record, and the format version after it.
    package static let magic: StaticString = "RKLR"
    package static let formatVersion: UInt16 = 1
    /// Bytes before the request's length: magic, version, sequence, time, previous digest, key id.
    package static let fixedPrefixCount = 4 + 2 + 8 + 8 + 32 + 32
    package static let digestCount = 32

    package let sequence: UInt64
    package let appendedNanoseconds: Int64
    package let previousDigest: Range<Int>
    package let keyID: Range<Int>
    package let request: Range<Int>
    package let signature: Range<Int>
    package let decision: Range<Int>
    /// Everything the digest covers: all but the last 32 bytes.
    package let content: Range<Int>

    package init(_ raw: UnsafeRawBufferPointer) throws(LedgerError) {
        var reader = ByteReader(raw)
        func fail(_ reason: String, _ sequence: UInt64 = 0) -> LedgerError { LedgerError(.corrupt, reason, sequence: sequence) }
        // Where a part read above lies in `raw`.
        func range(_ part: UnsafeRawBufferPointer) -> Range<Int> {
            let start = part.baseAddress.map { $0 - raw.baseAddress! } ?? 0
            return start..<start + part.count
        }
        let magic = UnsafeRawBufferPointer(start: Self.magic.utf8Start, count: Self.magic.utf8CodeUnitCount)
        guard reader.skip(count: magic.count)?.hasSameBytes(as: magic) == true else { throw fail("bad magic") }
        guard reader.read(UInt16.self) == Self.formatVersion else { throw fail("unknown record format version") }
        guard let sequence = reader.read(UInt64.self), let time = reader.read(Int64.self),
              let previous = reader.skip(count: 32), let key = reader.skip(count: KeyID.byteCount),
              let requestLength = reader.read(UInt32.self), Int(requestLength) <= RequestEnvelope.maximumByteCount,
              let request = reader.skip(count: Int(requestLength)),
              let signatureLength = reader.read(UInt16.self), Int(signatureLength) <= SignedRequest.maximumSignatureByteCount,
              let signature = reader.skip(count: Int(signatureLength)),
              let decisionLength = reader.read(UInt32.self), Int(decisionLength) <= Record.maximumDecisionByteCount,
              let decision = reader.skip(count: Int(decisionLength))
        else { throw fail("truncated or oversized field") }
        let contentCount = reader.offset
        guard reader.skip(count: Self.digestCount) != nil, reader.remaining == 0 else { throw fail("bad length", sequence) }
        self.sequence = sequence
        appendedNanoseconds = time
        (previousDigest, keyID, self.request) = (range(previous), range(key), range(request))
        (self.signature, self.decision, content) = (range(signature), range(decision), 0..<contentCount)
    }

    /// Whether the last 32 bytes are the SHA-256 of everything before them.
    package func digestMatches(_ raw: UnsafeRawBufferPointer) -> Bool {
        SHA256.digest(of: UnsafeRawBufferPointer(rebasing: raw[content]), is: UnsafeRawBufferPointer(rebasing: raw[content.upperBound...]))
    }
}
