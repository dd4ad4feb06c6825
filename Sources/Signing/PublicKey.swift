import COpenSSL

/// A public key that is strong enough to trust: Ed25519, or RSA of at least 2048 bits.
///
/// Weak keys are refused by the initialisers, so holding a `PublicKey` means holding an
/// acceptable one. The PEM form is SubjectPublicKeyInfo (`-----BEGIN PUBLIC KEY-----`),
/// which `openssl pkey -pubin` reads and writes.
public struct PublicKey: Sendable, Hashable, CustomStringConvertible {
    let handle: KeyHandle
    public let kind: KeyKind
    public let bits: Int
    /// The DER SubjectPublicKeyInfo: what the key id is the digest of.
    public let spkiDER: [UInt8]
    public let id: KeyID

    /// Reads an SPKI PEM public key.
    public init(pem: String) throws(SigningError) {
        if pem.contains("PRIVATE KEY-----") {
            throw SigningError(.malformedKey, "expected a public key but found a private key; give the public key only")
        }
        guard pem.contains("-----BEGIN PUBLIC KEY-----") else {
            throw SigningError(.malformedKey, "not a PEM public key (expected -----BEGIN PUBLIC KEY-----)")
        }
        let bio = try MemoryBIO(reading: Array(pem.utf8))
        guard let key = PEM_read_bio_PUBKEY(bio.pointer, nil, rocks_no_passphrase, nil) else {
            throw OpenSSLErrorQueue.error(.malformedKey, "cannot read the public key")
        }
        try self.init(validating: KeyHandle(takingOwnershipOf: key))
    }

    /// Reads a DER SubjectPublicKeyInfo.
    public init(spkiDER der: [UInt8]) throws(SigningError) {
        let key: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
            var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
            return d2i_PUBKEY(nil, &cursor, buffer.count)
        }
        guard let key else {
            throw OpenSSLErrorQueue.error(.malformedKey, "cannot read the DER public key")
        }
        try self.init(validating: KeyHandle(takingOwnershipOf: key))
    }

    /// Takes a key OpenSSL produced, refusing kinds and sizes we do not trust.
    init(validating handle: KeyHandle) throws(SigningError) {
        let (kind, bits) = try Self.classify(handle)
        let length = i2d_PUBKEY(handle.pointer, nil)
        guard length > 0 else {
            throw OpenSSLErrorQueue.error(.malformedKey, "cannot encode the public key")
        }
        var der = [UInt8](repeating: 0, count: Int(length))
        let written = der.withUnsafeMutableBufferPointer { buffer in
            var cursor: UnsafeMutablePointer<UInt8>? = buffer.baseAddress
            return i2d_PUBKEY(handle.pointer, &cursor)
        }
        guard written == length else {
            throw OpenSSLErrorQueue.error(.malformedKey, "cannot encode the public key")
        }
        if kind == .ed25519 {
            let acceptable = der.withUnsafeBytes { Ed25519.isAcceptableKey(UnsafeRawBufferPointer(rebasing: $0[Self.ed25519SPKIPrefix.count...])) }
            guard acceptable else {
                throw SigningError(.weakKey, "Ed25519 key is weak: not a canonical point of prime order (a small-order or mixed-order key can be forged against)")
            }
        }
        self.handle = handle
        self.kind = kind
        self.bits = bits
        self.spkiDER = der
        self.id = KeyID(spkiDER: der)
    }

    static func classify(_ handle: KeyHandle) throws(SigningError) -> (KeyKind, Int) {
        let bits = handle.bits
        switch handle.baseID {
        case EVP_PKEY_ED25519:
            return (.ed25519, bits)
        case EVP_PKEY_RSA:
            guard bits >= KeyKind.minimumRSABits else {
                throw SigningError(.weakKey, "RSA key of \(bits) bits is too weak: at least \(KeyKind.minimumRSABits) bits are required")
            }
            guard bits <= KeyKind.maximumRSABits else {
                throw SigningError(.unsupportedKey, "RSA key of \(bits) bits is larger than the \(KeyKind.maximumRSABits)-bit limit")
            }
            return (.rsa, bits)
        case EVP_PKEY_RSA_PSS:
            throw SigningError(.unsupportedKey, "RSA-PSS-restricted keys are not supported; use a plain RSA key (openssl genpkey -algorithm RSA)")
        default:
            throw SigningError(.unsupportedKey, "unsupported key type; use Ed25519 or RSA of at least \(KeyKind.minimumRSABits) bits")
        }
    }

    /// The SPKI PEM text, ending in a newline.
    public var pem: String {
        // Writing a key we already hold to memory cannot fail short of allocation failure.
        guard let bio = try? MemoryBIO(), PEM_write_bio_PUBKEY(bio.pointer, handle.pointer) == 1 else {
            fatalError("cannot write a public key as PEM: \(OpenSSLErrorQueue.drain() ?? "")")
        }
        return String(decoding: bio.contents, as: UTF8.self)
    }

    public var description: String { "\(kind.rawValue) key \(id.short)" }

    /// Whether `signature` is a valid `algorithm` signature by this key over `message`:
    /// Ed25519 by the rule in `Ed25519`, RSA by OpenSSL.
    public func isValidSignature(_ signature: [UInt8], for message: [UInt8], algorithm: SignatureAlgorithm) -> Bool {
        guard algorithm.fits(kind) else { return false }
        if kind == .ed25519 {
            return signature.withUnsafeBytes { sig in
                message.withUnsafeBytes { msg in
                    spkiDER.withUnsafeBytes { der in
                        Ed25519.isValid(signature: sig, message: msg, key: UnsafeRawBufferPointer(rebasing: der[Self.ed25519SPKIPrefix.count...]))
                    }
                }
            }
        }
        guard let context = try? DigestContext() else { return false }
        guard context.prepare(algorithm, key: handle, signing: false) else {
            _ = OpenSSLErrorQueue.drain()
            return false
        }
        let result = signature.withUnsafeBufferPointer { sig in
            message.withUnsafeBufferPointer { msg in
                EVP_DigestVerify(context.pointer, sig.baseAddress, sig.count, msg.baseAddress, msg.count)
            }
        }
        if result != 1 { _ = OpenSSLErrorQueue.drain() }
        return result == 1
    }

    public static func == (lhs: PublicKey, rhs: PublicKey) -> Bool { lhs.spkiDER == rhs.spkiDER }
    public func hash(into hasher: inout Hasher) { hasher.combine(spkiDER) }
}
