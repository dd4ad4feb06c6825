/// The 32-byte RFC 8032 form of Ed25519 public keys, which C2SP signed notes and verifier
/// keys carry instead of SubjectPublicKeyInfo.
extension PublicKey {
    /// The DER SubjectPublicKeyInfo of every Ed25519 key starts with these 12 bytes
    /// (SEQUENCE, AlgorithmIdentifier id-Ed25519, BIT STRING of 33 bytes), then the key.
    static let ed25519SPKIPrefix: [UInt8] = [0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]

    /// The key's 32 bytes when it is Ed25519; nil for RSA.
    public var rawEd25519: [UInt8]? {
        guard kind == .ed25519, spkiDER.count == Self.ed25519SPKIPrefix.count + 32,
              spkiDER.starts(with: Self.ed25519SPKIPrefix)
        else { return nil }
        return Array(spkiDER.suffix(32))
    }

    /// An Ed25519 public key from its 32 bytes.
    public init(rawEd25519 bytes: [UInt8]) throws(SigningError) {
        guard bytes.count == 32 else {
            throw SigningError(.malformedKey, "an Ed25519 public key is 32 bytes, not \(bytes.count)")
        }
        try self.init(spkiDER: Self.ed25519SPKIPrefix + bytes)
    }
}
