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

    /// The file form a requester hands to `rocks ledger submit`: canonical JSON
    /// `{"request":"<the signed bytes as a string>","signature":"<base64url>"}`.
    public var document: [UInt8] {
        CanonicalJSON.encode(.object([
            "request": .string(String(decoding: bytes, as: UTF8.self)),
            "signature": .string(Base64URL.encode(signature)),
        ]))
    }

    public init(document: [UInt8]) throws(SigningError) {
        guard document.count <= RequestEnvelope.maximumByteCount * 2 + 4096 else {
            throw SigningError(.malformedRequest, "signed request document is too large")
        }
        var trimmed = document
        while let last = trimmed.last, last == UInt8(ascii: "\n") { trimmed.removeLast() }
        let object = try CanonicalJSON.decode(trimmed, maximumDepth: 1).objectValue
        guard let object, object.count == 2, let request = object["request"]?.stringValue,
              let signatureText = object["signature"]?.stringValue, let signature = Base64URL.decode(signatureText)
        else {
            throw SigningError(.malformedRequest, "a signed request document has exactly the string fields 'request' and 'signature' (base64url)")
        }
        try self.init(bytes: Array(request.utf8), signature: signature)
    }
}
