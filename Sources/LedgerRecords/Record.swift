import InPlaceJSON
import Signing

/// One entry of the log: one signed request, what the frontend decided about it, when it was
/// appended, and its place in the hash chain. See `docs/ledger-format.md` for the layout.
///
/// ``bytes`` are kept beside the parsed fields, and every check runs over them.
///
/// A class, immutable: a rebuild parses records on one thread and folds them on another, and
/// handing one over is then a single reference count, where a struct's copy would count every
/// array and string it holds, each an atomic write to memory the other core has just written.
public final class Record: Sendable {
    /// Limits on the variable-length parts, checked on write and on read.
    public static let maximumDecisionByteCount = 8 * 1024 * 1024

    public let sequence: UInt64
    public let appended: Timestamp
    public let keyID: KeyID
    /// The request's op and nonce, which every fold and a rebuild's nonce index read.
    public let op: String
    public let nonce: Nonce
    /// The request, parsed when the record was made or read with full checks. A rebuild reads
    /// records with `.layoutAndDigest` and leaves it unparsed: most folds need nothing of it
    /// but the op (see ``request``).
    private let checkedRequest: SignedRequest?
    /// The decision (canonical JSON, an object: what the frontend decided while appending),
    /// parsed when the record was made or read with full checks. A rebuild reads records with
    /// `.layoutAndDigest` and leaves it unparsed: folds read the decision's values where they
    /// lie (``withDecision(_:)``).
    private let decisionTree: JSONValue?
    /// The record exactly as stored. The fields below are read from it when asked for, not
    /// copied out of it for every record a rebuild reads.
    public let bytes: [UInt8]
    private let decisionRange: Range<Int>
    private let requestRange: Range<Int>
    private let signatureRange: Range<Int>

    /// Where the previous record's digest sits: after the magic, version, sequence and time.
    private static let previousDigestRange = 22..<54

    public var previousDigest: [UInt8] { Array(bytes[Self.previousDigestRange]) }
    /// The decision's canonical JSON, as stored.
    public var decision: [UInt8] { Array(bytes[decisionRange]) }
    /// SHA-256 of every byte before it.
    public var digest: [UInt8] { withDigest { Array($0) } }

    /// Calls `body` with ``digest`` where it lies.
    public func withDigest<T>(_ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        try bytes.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0.suffix(RecordLayout.digestCount))) }
    }

    /// Whether this record chains to `previous`: it names the digest `previous` ends with.
    /// Compared where the bytes lie, as a rebuild does for every record.
    package func follows(_ previous: Record) -> Bool {
        bytes.withUnsafeBytes { own in
            previous.bytes.withUnsafeBytes { theirs in
                UnsafeRawBufferPointer(rebasing: own[Self.previousDigestRange])
                    .hasSameBytes(as: UnsafeRawBufferPointer(rebasing: theirs.suffix(RecordLayout.digestCount)))
            }
        }
    }

    /// The signed request: the one parsed when the record was made or read with full checks,
    /// or else parsed now from ``bytes``, with every check of its fields.
    public var request: SignedRequest {
        get throws(LedgerError) {
            if let checkedRequest { return checkedRequest }
            return try Self.storedRequest(bytes[requestRange], signature: bytes[signatureRange], sequence: sequence)
        }
    }

    /// Parses a stored request with every check but the canonical form (see
    /// ``SignedRequest/init(storedBytes:signature:)``), naming the record when it fails.
    private static func storedRequest(_ request: some Collection<UInt8>, signature: some Collection<UInt8>,
                                      sequence: UInt64) throws(LedgerError) -> SignedRequest
    {
        do {
            return try SignedRequest(storedBytes: Array(request), signature: Array(signature))
        } catch {
            throw LedgerError(.corrupt, "stored request is invalid: \(error.message)", sequence: sequence)
        }
    }

    /// Lends `body` the decision's canonical bytes where they lie in ``bytes``, uncopied, and
    /// indexed (``JSONBytes/indexed(_:_:)``): a fold reads several members, some deep.
    package func withDecision<T>(_ body: (JSONBytes) throws -> T) rethrows -> T {
        try bytes.withUnsafeBytes { try JSONBytes.indexed(UnsafeRawBufferPointer(rebasing: $0[decisionRange]), body) }
    }

    /// Lays out and digests a new record.
    package init(sequence: UInt64, appended: Timestamp, previousDigest: [UInt8], request: SignedRequest, decision: [UInt8],
         decisionJSON: JSONValue)
    {
        var writer = ByteWriter(capacity: 128 + request.bytes.count + request.signature.count + decision.count)
        writer.append(Array(UnsafeBufferPointer(start: RecordLayout.magic.utf8Start, count: RecordLayout.magic.utf8CodeUnitCount)))
        writer.append(RecordLayout.formatVersion)
        writer.append(sequence)
        writer.append(appended.nanoseconds)
        writer.append(previousDigest)
        writer.append(request.envelope.key.bytes)
        writer.append(UInt32(request.bytes.count))
        let requestStart = writer.bytes.count
        writer.append(request.bytes)
        writer.append(UInt16(request.signature.count))
        let signatureStart = writer.bytes.count
        writer.append(request.signature)
        writer.append(UInt32(decision.count))
        let decisionStart = writer.bytes.count
        writer.append(decision)
        writer.append(SHA256.hash(writer.bytes))
        self.sequence = sequence
        self.appended = appended
        self.keyID = request.envelope.key
        self.op = request.envelope.op
        self.nonce = request.envelope.nonce
        self.checkedRequest = request
        self.decisionTree = decisionJSON
        self.bytes = writer.bytes
        self.requestRange = requestStart..<requestStart + request.bytes.count
        self.signatureRange = signatureStart..<signatureStart + request.signature.count
        self.decisionRange = decisionStart..<decisionStart + decision.count
    }

    /// How much of a stored record to check while parsing it.
    public enum Checks: Sendable {
        /// Everything: what `ledger verify` and every reader of single records use.
        case full
        /// The layout and the digest, and of the request only its op, key id and nonce (each
        /// in its form, and the key id matching the record's); the rest of the request and the
        /// decision are left unparsed until a fold asks (``request``, ``parsedDecision()``).
        /// For a rebuild, which folds every record this ledger stored after checking it in
        /// full, and is not the audit (`ledger verify` is).
        case layoutAndDigest
    }

    /// Parses stored bytes: magic, version, lengths within limits, nothing left over, and the
    /// digest matching the content; with `.full` checks, the whole request and the decision,
    /// canonical.
    public convenience init(stored raw: UnsafeRawBufferPointer, checks: Checks = .full) throws(LedgerError) {
        try self.init(parsing: Array(raw), checks: checks)
    }

    public convenience init(stored bytes: [UInt8]) throws(LedgerError) {
        try self.init(parsing: bytes, checks: .full)
    }

    private init(parsing bytes: [UInt8], checks: Checks) throws(LedgerError) {
        let parsed = bytes.withUnsafeBytes { raw in Result { () throws(LedgerError) in try Parsed(raw, checks: checks) } }
        let fields = try parsed.get()
        self.sequence = fields.sequence
        self.appended = fields.appended
        self.keyID = fields.keyID
        self.op = fields.op
        self.nonce = fields.nonce
        self.checkedRequest = fields.request
        self.decisionTree = fields.decisionTree
        self.bytes = bytes
        self.requestRange = fields.requestRange
        self.signatureRange = fields.signatureRange
        self.decisionRange = fields.decisionRange
    }

    /// The fields of stored bytes, read and checked where they lie.
    private struct Parsed {
        let sequence: UInt64
        let appended: Timestamp
        let keyID: KeyID
        let op: String
        let nonce: Nonce
        let request: SignedRequest?
        let decisionTree: JSONValue?
        let requestRange: Range<Int>, signatureRange: Range<Int>, decisionRange: Range<Int>

        init(_ raw: UnsafeRawBufferPointer, checks: Checks) throws(LedgerError) {
            let layout = try RecordLayout(raw)
            let sequence = layout.sequence
            func fail(_ reason: String) -> LedgerError { LedgerError(.corrupt, reason, sequence: sequence) }
            guard layout.digestMatches(raw) else { throw fail("digest does not match the record's contents") }
            let requestBytes = UnsafeRawBufferPointer(rebasing: raw[layout.request])
            let signature = UnsafeRawBufferPointer(rebasing: raw[layout.signature])
            let decision = UnsafeRawBufferPointer(rebasing: raw[layout.decision])
            (requestRange, signatureRange, decisionRange) = (layout.request, layout.signature, layout.decision)
            switch checks {
            case .full:
                let parsed: SignedRequest
                do {
                    parsed = try SignedRequest(bytes: Array(requestBytes), signature: Array(signature))
                } catch {
                    throw fail("stored request is invalid: \(error.message)")
                }
                (request, keyID, op, nonce) = (parsed, parsed.envelope.key, parsed.envelope.op, parsed.envelope.nonce)
                decisionTree = try? CanonicalJSON.decode(Array(decision))
                guard decisionTree?.objectValue != nil else { throw fail("decision is not a canonical JSON object") }
            case .layoutAndDigest:
                // Only what every fold reads; the rest is parsed, and checked, if a fold asks.
                let summary: RequestEnvelope.Summary
                do {
                    summary = try RequestEnvelope.Summary(stored: requestBytes)
                } catch {
                    throw fail("stored request is invalid: \(error.message)")
                }
                (request, keyID, op, nonce) = (nil, summary.key, summary.op, summary.nonce)
                decisionTree = nil
                guard decision.first == UInt8(ascii: "{"), decision.last == UInt8(ascii: "}") else {
                    throw fail("decision is not a JSON object")
                }
            }
            let keyBytes = UnsafeRawBufferPointer(rebasing: raw[layout.keyID])
            guard keyID.withUnsafeBytes({ $0.hasSameBytes(as: keyBytes) }) else { throw fail("key id differs from the request's") }
            self.sequence = sequence
            self.appended = Timestamp(nanosecondsSinceEpoch: layout.appendedNanoseconds)
        }
    }

    /// The sequence number, append time and digest of stored bytes, after a layout and
    /// digest check: what the append path needs of the last record, and what time travel's
    /// search reads, without parsing the request.
    package static func summary(_ bytes: [UInt8]) -> (sequence: UInt64, appended: Timestamp, digest: [UInt8])? {
        bytes.withUnsafeBytes { raw in
            guard let layout = try? RecordLayout(raw), layout.digestMatches(raw) else { return nil }
            return (layout.sequence, Timestamp(nanosecondsSinceEpoch: layout.appendedNanoseconds), Array(raw.suffix(RecordLayout.digestCount)))
        }
    }

    /// The decision as a tree: the one kept, or else parsed from the stored bytes now.
    public func parsedDecision() throws(LedgerError) -> JSONValue {
        if let decisionTree { return decisionTree }
        let parsed = bytes.withUnsafeBytes { raw in
            Result { () throws(SigningError) in try CanonicalJSON.decodeTrusted(UnsafeRawBufferPointer(rebasing: raw[decisionRange])) }
        }
        guard case .success(let decision) = parsed, decision.objectValue != nil else {
            throw LedgerError(.corrupt, "decision is not a JSON object", sequence: sequence)
        }
        return decision
    }

    /// Why the frontend denied the request, if it did: read in place, so it costs no parse.
    public var denial: String? {
        // Unindexed: one lookup, which stops at the first key of nearly every decision.
        bytes.withUnsafeBytes { JSONBytes(UnsafeRawBufferPointer(rebasing: $0[decisionRange]))["denied"]?.stringValue }
    }
}
