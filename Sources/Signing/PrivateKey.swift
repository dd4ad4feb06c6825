import COpenSSL

/// A private key: Ed25519 (the default) or RSA of 2048–4096 bits.
///
/// Stored as PKCS#8 PEM, optionally encrypted with AES-256-CBC under OpenSSL's default
/// passphrase derivation (PBKDF2), so `openssl pkey` reads our files and we read its.
public struct PrivateKey: Sendable {
    let handle: KeyHandle
    public let publicKey: PublicKey

    public var kind: KeyKind { publicKey.kind }
    public var id: KeyID { publicKey.id }

    /// Generates a fresh key. RSA sizes outside 2048–4096 are refused.
    public static func generate(_ kind: KeyKind = .ed25519, rsaBits: Int = 3072) throws(SigningError) -> PrivateKey {
        if kind == .rsa, !KeyKind.rsaGenerationBits.contains(rsaBits) {
            let reason = rsaBits < KeyKind.minimumRSABits ? "too weak" : "larger than this tool generates"
            throw SigningError(.weakKey, "RSA key size \(rsaBits) is \(reason): choose 2048 to 4096 bits")
        }
        let name = kind == .ed25519 ? "ED25519" : "RSA"
        guard let context = EVP_PKEY_CTX_new_from_name(nil, name, nil) else {
            throw OpenSSLErrorQueue.error(.openSSLFailure, "cannot set up \(kind.rawValue) key generation")
        }
        defer { EVP_PKEY_CTX_free(context) }
        guard EVP_PKEY_keygen_init(context) == 1,
              kind == .ed25519 || EVP_PKEY_CTX_set_rsa_keygen_bits(context, Int32(rsaBits)) == 1
        else {
            throw OpenSSLErrorQueue.error(.openSSLFailure, "cannot set up \(kind.rawValue) key generation")
        }
        var key: OpaquePointer?
        guard EVP_PKEY_generate(context, &key) == 1, let key else {
            throw OpenSSLErrorQueue.error(.openSSLFailure, "\(kind.rawValue) key generation failed")
        }
        return try PrivateKey(validating: KeyHandle(takingOwnershipOf: key))
    }

    /// Reads a PEM private key (PKCS#8, encrypted PKCS#8, or the traditional RSA form
    /// `openssl genrsa` writes). An encrypted key needs `passphrase`.
    public init(pem: String, passphrase: String? = nil) throws(SigningError) {
        guard pem.contains("PRIVATE KEY-----") else {
            throw SigningError(.malformedKey, "not a PEM private key (expected -----BEGIN PRIVATE KEY-----)")
        }
        let encrypted = pem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") || pem.contains("Proc-Type: 4,ENCRYPTED")
        if encrypted, passphrase == nil {
            throw SigningError(.passphraseRequired, "the private key is encrypted: a passphrase is required")
        }
        let bio = try MemoryBIO(reading: Array(pem.utf8))
        let key: OpaquePointer?
        if let passphrase {
            // With no callback, OpenSSL takes the user data as a NUL-terminated passphrase.
            key = passphrase.withCString { phrase in
                PEM_read_bio_PrivateKey(bio.pointer, nil, nil, UnsafeMutableRawPointer(mutating: phrase))
            }
        } else {
            key = PEM_read_bio_PrivateKey(bio.pointer, nil, rocks_no_passphrase, nil)
        }
        guard let key else {
            if encrypted {
                _ = OpenSSLErrorQueue.drain()
                throw SigningError(.wrongPassphrase, "the passphrase does not decrypt the private key")
            }
            throw OpenSSLErrorQueue.error(.malformedKey, "cannot read the private key")
        }
        try self.init(validating: KeyHandle(takingOwnershipOf: key))
    }

    private init(validating handle: KeyHandle) throws(SigningError) {
        self.handle = handle
        self.publicKey = try PublicKey(validating: handle)
    }

    /// The PKCS#8 PEM text; encrypted with AES-256-CBC when a passphrase is given.
    public func pkcs8PEM(passphrase: String? = nil) throws(SigningError) -> String {
        if let passphrase, passphrase.isEmpty {
            throw SigningError(.wrongPassphrase, "the passphrase must not be empty")
        }
        let bio = try MemoryBIO()
        let written: Int32
        if let passphrase {
            written = passphrase.withCString { phrase in
                PEM_write_bio_PKCS8PrivateKey(bio.pointer, handle.pointer, EVP_aes_256_cbc(), phrase, Int32(passphrase.utf8.count), nil, nil)
            }
        } else {
            written = PEM_write_bio_PKCS8PrivateKey(bio.pointer, handle.pointer, nil, nil, 0, nil, nil)
        }
        guard written == 1 else {
            throw OpenSSLErrorQueue.error(.openSSLFailure, "cannot write the private key")
        }
        return String(decoding: bio.contents, as: UTF8.self)
    }

    /// Signs `message`. The algorithm defaults to the one this project prefers for the key.
    public func sign(_ message: [UInt8], algorithm: SignatureAlgorithm? = nil) throws(SigningError) -> [UInt8] {
        let algorithm = algorithm ?? SignatureAlgorithm.preferred(for: kind)
        guard algorithm.fits(kind) else {
            throw SigningError(.unsupportedAlgorithm, "a \(kind.rawValue) key cannot make \(algorithm.rawValue) signatures")
        }
        let context = try DigestContext()
        guard context.prepare(algorithm, key: handle, signing: true) else {
            throw OpenSSLErrorQueue.error(.openSSLFailure, "cannot start a \(algorithm.rawValue) signature")
        }
        var length = 0
        let sized = message.withUnsafeBufferPointer { msg in
            EVP_DigestSign(context.pointer, nil, &length, msg.baseAddress, msg.count)
        }
        guard sized == 1 else {
            throw OpenSSLErrorQueue.error(.openSSLFailure, "cannot size a \(algorithm.rawValue) signature")
        }
        var signature = [UInt8](repeating: 0, count: length)
        let signed = message.withUnsafeBufferPointer { msg in
            EVP_DigestSign(context.pointer, &signature, &length, msg.baseAddress, msg.count)
        }
        guard signed == 1 else {
            throw OpenSSLErrorQueue.error(.openSSLFailure, "\(algorithm.rawValue) signing failed")
        }
        return Array(signature.prefix(length))
    }
}
