/// A request as received: the exact bytes that were signed, beside the parsed envelope and
/// the signature. Verification always runs over ``bytes``, never over a re-encoding.
public struct SignedRequest: Sendable {
    public let bytes: [UInt8]
    public let envelope: RequestEnvelope
    public let signature: [UInt8]

    /// The largest signature we accept (a 16384-bit RSA signature is 2048 bytes).
    public static let maximumSignatureByteCount = 2048

    /// Parses received bytes; the signature is checked separately by ``isSigned(by:)``.
    public init(bytes: [UInt8], signature: [UInt8]) throws(SigningError) {
        guard !signature.isEmpty, signature.count <= Self.maximumSignatureByteCount else {
            throw SigningError(.malformedRequest, "signature must be 1 to \(Self.maximumSignatureByteCount) bytes")
        }
        self.envelope = try RequestEnvelope(parsing: bytes)
        self.bytes = bytes
        self.signature = signature
    }

    /// Parses a request this process checked in full when it stored it; see
    /// ``RequestEnvelope/init(parsingStored:)``.
    public init(storedBytes bytes: [UInt8], signature: [UInt8]) throws(SigningError) {
        guard !signature.isEmpty, signature.count <= Self.maximumSignatureByteCount else {
            throw SigningError(.malformedRequest, "signature must be 1 to \(Self.maximumSignatureByteCount) bytes")
        }
        self.envelope = try RequestEnvelope(parsingStored: bytes)
        self.bytes = bytes
        self.signature = signature
    }

    /// Signs `envelope` with `key`, which must be the key the envelope names.
    public init(signing envelope: RequestEnvelope, with key: PrivateKey) throws(SigningError) {
        guard envelope.key == key.id else {
            throw SigningError(.malformedRequest, "the request names key \(envelope.key.short) but is signed with \(key.id.short)")
        }
        let bytes = envelope.canonicalBytes
        // Parse what we are about to sign: an envelope built in code (a lifetime over ten
        // minutes, a bad argument name) must fail here, not later when a reader meets it.
        self.envelope = try RequestEnvelope(parsing: bytes)
        self.bytes = bytes
        self.signature = try key.sign(bytes, algorithm: envelope.alg)
    }

    /// Whether `key` is the key the envelope names and its signature over ``bytes`` is valid.
    public func isSigned(by key: PublicKey) -> Bool {
        key.id == envelope.key && key.isValidSignature(signature, for: bytes, algorithm: envelope.alg)
    }

    /// The file form a requester hands to `rocks ledger submit`, and the body the Airboss
    /// receives: `{"request":"<the signed bytes as a string>","signature":"<base64url>"}`,
    /// written canonically.
    public var document: [UInt8] { Self.document(bytes: bytes, signature: signature) }

    /// The document for any bytes and signature: what a test sends to see them refused.
    public static func document(bytes: [UInt8], signature: [UInt8]) -> [UInt8] {
        CanonicalJSON.encode(.object([
            "request": .string(String(decoding: bytes, as: UTF8.self)),
            "signature": .string(Base64URL.encode(signature)),
        ]))
    }

    /// The largest document read: a 64 KiB envelope with room for its escaping.
    public static let maximumDocumentByteCount = 80 * 1024

    /// Reads a signed-request document in any RFC 8259 spelling (whitespace, key order,
    /// escapes: `jq .` may have pretty-printed it), since only the envelope inside is signed.
    /// It is one object with exactly the string members `request` and `signature`, no key
    /// twice, at most ``maximumDocumentByteCount`` bytes; the envelope itself must be
    /// canonical, as its signature covers its bytes.
    public init(document: [UInt8]) throws(SigningError) {
        let shape = "a JSON object with exactly the string members \"request\" and \"signature\" (base64url)"
        guard document.count <= Self.maximumDocumentByteCount else {
            throw SigningError(.malformedRequest, "a signed request is at most \(Self.maximumDocumentByteCount / 1024) KiB; this one is \(document.count) bytes")
        }
        let value: JSONValue
        do {
            value = try CanonicalJSON.decodeTrusted(document, maximumDepth: 1)
        } catch {
            throw SigningError(.malformedRequest, "not a signed request (\(shape)): \(error.message)")
        }
        guard let object = value.objectValue, object.count == 2, let request = object["request"]?.stringValue,
              let signatureText = object["signature"]?.stringValue
        else { throw SigningError(.malformedRequest, "not a signed request: it must be \(shape)") }
        guard let signature = Base64URL.decode(signatureText) else {
            throw SigningError(.malformedRequest, "the signature is not base64url")
        }
        try self.init(bytes: Array(request.utf8), signature: signature)
    }
}
