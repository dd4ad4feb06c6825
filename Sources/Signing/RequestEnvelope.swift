/// What a requester signs: one Rocks command, addressed to one ledger, valid for a short
/// window, usable once.
///
/// The wire form is canonical JSON (see `docs/ledger-format.md`):
/// `{"alg":…,"args":{…},"expires":…,"issued":…,"key":…,"ledger":…,"nonce":…,"op":…,"v":1}`.
public struct RequestEnvelope: Sendable, Equatable {
    /// The envelope format version this code writes and reads.
    public static let version: Int64 = 1
    /// The longest validity window a request may claim.
    public static let maximumLifetimeSeconds: Int64 = 600
    /// How far a requester's clock may be ahead of or behind the frontend's.
    public static let allowedClockSkewSeconds: Int64 = 120
    /// The largest request we read; a Rocks command with a PEM key fits easily.
    public static let maximumByteCount = 64 * 1024

    /// Every field, in canonical (sorted) order.
    static let fields = ["alg", "args", "expires", "issued", "key", "ledger", "nonce", "op", "v"]

    /// The Rocks command words, e.g. `add host key`.
    public var op: String
    /// The command's parameters after positional filling; values are strings, as typed.
    public var args: [String: String]
    public var key: KeyID
    public var alg: SignatureAlgorithm
    public var nonce: Nonce
    public var issued: Timestamp
    public var expires: Timestamp
    public var ledger: LedgerID

    public init(op: String, args: [String: String], key: KeyID, alg: SignatureAlgorithm, nonce: Nonce = .random(),
                issued: Timestamp, expires: Timestamp, ledger: LedgerID)
    {
        self.op = op
        self.args = args
        self.key = key
        self.alg = alg
        self.nonce = nonce
        self.issued = Timestamp(secondsSinceEpoch: issued.seconds)
        self.expires = Timestamp(secondsSinceEpoch: expires.seconds)
        self.ledger = ledger
    }

    /// An envelope for `op` signed by `signer`, valid from `now` for `lifetime` seconds.
    public init(op: String, args: [String: String], signer: PublicKey, ledger: LedgerID, now: Timestamp,
                lifetime: Int64 = 300)
    {
        self.init(op: op, args: args, key: signer.id, alg: .preferred(for: signer.kind),
                  issued: now, expires: now.adding(seconds: lifetime), ledger: ledger)
    }

    public var json: JSONValue {
        .object([
            "v": .integer(Self.version),
            "op": .string(op),
            "args": .object(JSONObject(args.mapValues { .string($0) })),
            "key": .string(key.hex),
            "alg": .string(alg.rawValue),
            "nonce": .string(nonce.text),
            "issued": .string(issued.rfc3339Seconds),
            "expires": .string(expires.rfc3339Seconds),
            "ledger": .string(ledger.hex),
        ])
    }

    public var canonicalBytes: [UInt8] { CanonicalJSON.encode(json) }

    /// Parses the exact bytes a requester signed, refusing anything not canonical, any
    /// unknown or missing field, and any field outside its allowed form.
    public init(parsing bytes: [UInt8]) throws(SigningError) {
        try self.init(parsing: bytes, checkingCanonicalForm: true)
    }

    /// Parses bytes this process checked in full when it stored them (a ledger's own records,
    /// whose digest has just been checked): every field check, but not the canonical-form
    /// comparison, which re-encodes the whole request.
    public init(parsingStored bytes: [UInt8]) throws(SigningError) {
        try self.init(parsing: bytes, checkingCanonicalForm: false)
    }

    private init(parsing bytes: [UInt8], checkingCanonicalForm: Bool) throws(SigningError) {
        guard bytes.count <= Self.maximumByteCount else {
            throw SigningError(.malformedRequest, "request of \(bytes.count) bytes exceeds the \(Self.maximumByteCount)-byte limit")
        }
        let parsed = checkingCanonicalForm ? try CanonicalJSON.decode(bytes, maximumDepth: 3)
                                           : try CanonicalJSON.decodeTrusted(bytes, maximumDepth: 3)
        guard let object = parsed.objectValue else {
            throw SigningError(.malformedRequest, "request must be a JSON object")
        }
        try self.init(checking: try Fields(object))
    }

    /// What a rebuild reads of a stored request: the op, the signer's key id and the nonce,
    /// each checked in its form, and nothing else parsed or checked (the record's digest has
    /// just been; `ledger verify` checks the rest).
    public struct Summary: Sendable {
        public let op: String
        public let key: KeyID
        public let nonce: Nonce

        /// The three fields of a stored request: read from its end where it is in the shape
        /// this code writes (``init(tail:)``), else from the full parse, which refuses a
        /// request any other reader would refuse, and says why.
        public init(stored bytes: UnsafeRawBufferPointer) throws(SigningError) {
            if let summary = Self(tail: bytes) {
                self = summary
                return
            }
            let envelope = try RequestEnvelope(parsingStored: Array(bytes))
            (op, key, nonce) = (envelope.op, envelope.key, envelope.nonce)
        }

        /// Reads the three fields from the end of the request, where this code writes them:
        /// `…,"key":"<hex>","ledger":"<hex>","nonce":"<base64url>","op":"<words>","v":1}`.
        /// Read from the front, every request's `args` would lie in the way, on the thread a
        /// rebuild reads every record with. nil when the end is not exactly that.
        ///
        /// Why the end cannot be forged from inside `args`: each value found is checked in its
        /// form, and none of the forms holds a quote or a backslash. So the tail is a run of
        /// unescaped tokens, and in the JSON this ledger checked before storing it, a quote
        /// opening `"key"` inside a string would instead close that string and leave `key`
        /// bare, which no JSON allows.
        public init?(tail bytes: UnsafeRawBufferPointer) {
            var reader = TailReader(bytes)
            guard reader.drop(#","v":1}"#), let op = reader.string(), reader.drop(#","op":"#),
                  let nonce = reader.string(count: Nonce.textCount), reader.drop(#","nonce":"#),
                  let ledger = reader.string(count: 2 * LedgerID.byteCount), reader.drop(#","ledger":"#),
                  let key = reader.string(count: 2 * KeyID.byteCount), reader.drop(#","key":"#),
                  Hex.isLowercase(utf8: ledger),
                  let keyID = KeyID(hexUTF8: key), let nonceValue = Nonce(utf8: nonce)
            else { return nil }
            let opText = String(decoding: op, as: UTF8.self)
            guard RequestEnvelope.isValidOp(opText) else { return nil }
            (self.op, self.key, self.nonce) = (opText, keyID, nonceValue)
        }
    }

    /// Reads a request backwards from its end: literal tokens, and strings without escapes.
    private struct TailReader {
        let bytes: UnsafeRawBufferPointer
        /// Everything from here on has been read.
        var end: Int

        init(_ bytes: UnsafeRawBufferPointer) {
            self.bytes = bytes
            end = bytes.count
        }

        /// Steps back over `literal`, if the bytes just before `end` are exactly it.
        mutating func drop(_ literal: StaticString) -> Bool {
            let count = literal.utf8CodeUnitCount
            guard end >= count,
                  UnsafeRawBufferPointer(rebasing: bytes[(end - count)..<end])
                      .hasSameBytes(as: UnsafeRawBufferPointer(start: literal.utf8Start, count: count))
            else { return false }
            end -= count
            return true
        }

        /// Steps back over a string of `count` bytes that ends just before `end`, returning
        /// the text between its quotes.
        mutating func string(count: Int) -> UnsafeRawBufferPointer? {
            let open = end - count - 2
            guard open >= 0, bytes[open] == UInt8(ascii: "\""), bytes[end - 1] == UInt8(ascii: "\"") else { return nil }
            defer { end = open }
            return UnsafeRawBufferPointer(rebasing: bytes[(open + 1)..<(end - 1)])
        }

        /// Steps back over a string that ends just before `end`, returning the text between
        /// its quotes; the text is taken to hold no quote, which its caller checks by its form.
        mutating func string() -> UnsafeRawBufferPointer? {
            guard end >= 2, bytes[end - 1] == UInt8(ascii: "\"") else { return nil }
            var open = end - 2
            while open >= 0, bytes[open] != UInt8(ascii: "\"") { open -= 1 }
            guard open >= 0 else { return nil }
            defer { end = open }
            return UnsafeRawBufferPointer(rebasing: bytes[(open + 1)..<(end - 1)])
        }
    }

    /// Checks the form of every field: the one place both readers end.
    private init(checking fields: Fields) throws(SigningError) {
        guard fields.version == Self.version else {
            throw SigningError(.malformedRequest, "request format version must be \(Self.version)")
        }
        op = fields.op
        guard Self.isValidOp(op) else {
            throw SigningError(.malformedRequest, "request op '\(op)' is not a sequence of lower-case command words")
        }
        var args: [String: String] = [:]
        for (name, value) in fields.args {
            guard Self.isValidArgName(name) else {
                throw SigningError(.malformedRequest, "request argument '\(name)' must be a lower-case name with a string value")
            }
            args[name] = value
        }
        self.args = args
        guard let key = KeyID(hex: fields.key) else {
            throw SigningError(.malformedRequest, "request field 'key' must be 64 lower-case hex digits")
        }
        self.key = key
        alg = try SignatureAlgorithm(name: fields.alg)
        guard let nonce = Nonce(text: fields.nonce) else {
            throw SigningError(.malformedRequest, "request nonce must be 16 bytes in unpadded base64url")
        }
        self.nonce = nonce
        issued = try Self.time(fields.issued, field: "issued")
        expires = try Self.time(fields.expires, field: "expires")
        guard issued < expires else {
            throw SigningError(.malformedRequest, "request expires before it is issued")
        }
        guard expires.seconds - issued.seconds <= Self.maximumLifetimeSeconds else {
            throw SigningError(.malformedRequest, "request is valid for more than \(Self.maximumLifetimeSeconds / 60) minutes")
        }
        guard let ledger = LedgerID(hex: fields.ledger) else {
            throw SigningError(.malformedRequest, "request field 'ledger' must be 32 lower-case hex digits")
        }
        self.ledger = ledger
    }

    /// A request's fields, each present and of its JSON type, before their forms are checked.
    private struct Fields {
        var version: Int64?
        var op = "", key = "", alg = "", nonce = "", issued = "", expires = "", ledger = ""
        var args: [(name: String, value: String)] = []

        /// Reads a parsed request, refusing an unknown or missing field, or one of the wrong type.
        init(_ object: JSONObject) throws(SigningError) {
            // Members come sorted, as `fields` is: a request with exactly these fields matches it
            // key for key. Any other is searched for the first unknown field, or lacks one below.
            let exactFields = object.count == RequestEnvelope.fields.count
                && zip(object, RequestEnvelope.fields).allSatisfy { JSONObject.sameKey($0.key, $1) }
            if !exactFields, let unknown = object.first(where: { member in !RequestEnvelope.fields.contains { JSONObject.sameKey(member.key, $0) } }) {
                throw SigningError(.malformedRequest, "request has unknown field '\(unknown.key)'")
            }
            func field(_ name: String) throws(SigningError) -> JSONValue {
                guard let value = object[name] else { throw SigningError(.malformedRequest, "request lacks field '\(name)'") }
                return value
            }
            func text(_ name: String) throws(SigningError) -> String {
                guard let value = try field(name).stringValue else { throw SigningError(.malformedRequest, "request field '\(name)' must be a string") }
                return value
            }
            version = try field("v").integerValue
            op = try text("op")
            guard let argObject = try field("args").objectValue else {
                throw SigningError(.malformedRequest, "request field 'args' must be an object")
            }
            for (name, value) in argObject {
                guard let string = value.stringValue else {
                    throw SigningError(.malformedRequest, "request argument '\(name)' must be a lower-case name with a string value")
                }
                args.append((name, string))
            }
            (key, alg, nonce) = (try text("key"), try text("alg"), try text("nonce"))
            (issued, expires, ledger) = (try text("issued"), try text("expires"), try text("ledger"))
        }
    }

    private static func time(_ text: String, field: String) throws(SigningError) -> Timestamp {
        // Whole seconds only: one spelling per instant keeps the envelope canonical.
        guard text.utf8.count == 20, let time = Timestamp(rfc3339: text) else {
            throw SigningError(.malformedRequest, "request field '\(field)' must be an RFC 3339 UTC time like 2026-01-31T12:00:00Z")
        }
        return time
    }

    /// Refuses a request whose window, widened by the allowed clock skew, misses `now`.
    public func checkCurrent(at now: Timestamp) throws(SigningError) {
        if now < issued.adding(seconds: -Self.allowedClockSkewSeconds) {
            throw SigningError(.requestNotCurrent, "request is issued in the future (\(issued.rfc3339Seconds)); check the requester's clock")
        }
        if expires.adding(seconds: Self.allowedClockSkewSeconds) < now {
            throw SigningError(.requestNotCurrent, "request expired at \(expires.rfc3339Seconds)")
        }
    }

    public static func isValidOp(_ op: String) -> Bool {
        guard op.utf8.count <= 64 else { return false }
        // Words of [a-z0-9-], one space between two: no empty word at either end or between.
        var afterSpace = true
        for byte in op.utf8 {
            if byte == UInt8(ascii: " ") {
                guard !afterSpace else { return false }
                afterSpace = true
            } else {
                guard isLowerAlphanumeric(byte) || byte == UInt8(ascii: "-") else { return false }
                afterSpace = false
            }
        }
        return !afterSpace
    }

    static func isValidArgName(_ name: String) -> Bool {
        guard let first = name.utf8.first, isLowerAlphanumeric(first), name.utf8.count <= 64 else { return false }
        return name.utf8.allSatisfy { isLowerAlphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") }
    }

    private static func isLowerAlphanumeric(_ c: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(c) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c)
    }
}
