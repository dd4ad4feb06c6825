/// A key's identity: the SHA-256 of its SubjectPublicKeyInfo DER, shown as lowercase hex.
///
/// Derived from the public key alone, so anyone holding the PEM computes the same id
/// (`openssl pkey -pubin -outform DER | sha256sum`).
public struct KeyID: Hashable, Sendable, Comparable, CustomStringConvertible {
    public static let byteCount = 32

    /// The 32 digest bytes.
    public let bytes: [UInt8]

    public init?(bytes: [UInt8]) {
        guard bytes.count == KeyID.byteCount else { return nil }
        self.bytes = bytes
    }

    /// Parses the 64-character lowercase hex form.
    public init?(hex: some StringProtocol) {
        guard let bytes = Hex.decode(hex) else { return nil }
        self.init(bytes: bytes)
    }

    /// ``init(hex:)`` over the text's UTF-8 bytes.
    init?(hexUTF8 text: UnsafeRawBufferPointer) {
        guard let bytes = Hex.decode(utf8: text) else { return nil }
        self.init(bytes: bytes)
    }

    init(spkiDER: [UInt8]) {
        bytes = SHA256.hash(spkiDER)
    }

    public var hex: String { Hex.encode(bytes) }
    /// The first 12 hex digits, for tables and logs, like a short git commit id.
    public var short: String { String(hex.prefix(12)) }
    public var description: String { hex }

    public static func < (lhs: KeyID, rhs: KeyID) -> Bool { lhs.bytes.lexicographicallyPrecedes(rhs.bytes) }
}
