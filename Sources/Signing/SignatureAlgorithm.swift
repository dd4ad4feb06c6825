/// The signature algorithms a request or checkpoint may name.
///
/// SHA-1 and PKCS#1 v1.5 with anything but SHA-256 are refused: Rocks 6.1's
/// RIPEMD-160-labelled SHA-1 signatures are exactly what this project replaces.
public enum SignatureAlgorithm: String, Sendable, CaseIterable {
    /// Ed25519 (RFC 8032), the default.
    case ed25519 = "ed25519"
    /// RSASSA-PSS with SHA-256, MGF1-SHA-256 and a 32-byte salt: what we sign with RSA keys.
    case rsaPSSSHA256 = "rsa-pss-sha256"
    /// RSASSA-PKCS1-v1_5 with SHA-256, accepted for keys and signatures other tools made.
    case rsaPKCS1SHA256 = "rsa-pkcs1-sha256"

    /// The PSS salt length, fixed so that a signature has one meaning.
    public static let pssSaltLength: Int32 = 32

    /// Parses a name, explaining refusals of names that look like known weak algorithms.
    public init(name: String) throws(SigningError) {
        if let algorithm = SignatureAlgorithm(rawValue: name) {
            self = algorithm
            return
        }
        let lowered = name.lowercased()
        if lowered.contains("sha1") || lowered.contains("sha-1") {
            throw SigningError(.unsupportedAlgorithm, "signature algorithm '\(name)' is refused: SHA-1 is broken; use ed25519, rsa-pss-sha256 or rsa-pkcs1-sha256")
        }
        throw SigningError(.unsupportedAlgorithm, "unknown signature algorithm '\(name)'; valid: ed25519, rsa-pss-sha256, rsa-pkcs1-sha256")
    }

    /// The algorithm this project signs with for a key of the given kind.
    public static func preferred(for kind: KeyKind) -> SignatureAlgorithm {
        switch kind {
        case .ed25519: .ed25519
        case .rsa: .rsaPSSSHA256
        }
    }

    /// Whether a key of `kind` can make or check this kind of signature.
    public func fits(_ kind: KeyKind) -> Bool {
        switch (self, kind) {
        case (.ed25519, .ed25519), (.rsaPSSSHA256, .rsa), (.rsaPKCS1SHA256, .rsa): true
        default: false
        }
    }
}

/// The key types this project accepts.
public enum KeyKind: String, Sendable, CaseIterable {
    case ed25519
    case rsa

    /// RSA sizes we generate; keys read from elsewhere need at least `minimumRSABits`.
    public static let rsaGenerationBits = 2048...4096
    public static let minimumRSABits = 2048
    /// An upper bound on RSA keys we read, so a hostile key cannot make verification slow.
    public static let maximumRSABits = 16384
}
