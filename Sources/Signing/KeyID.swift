/// A key's identity: the SHA-256 of its SubjectPublicKeyInfo DER, shown as lowercase hex.
///
/// Derived from the public key alone, so anyone holding the PEM computes the same id
/// (`openssl pkey -pubin -outform DER | sha256sum`).
public struct KeyID: Hashable, Sendable, Comparable, CustomStringConvertible {
    public static let byteCount = 32

    /// The digest, held inline (see ``FixedBytes``).
    private let digest: FixedBytes

    /// The 32 digest bytes.
    public var bytes: [UInt8] { digest.array }

    public init?(bytes: [UInt8]) {
        guard bytes.count == KeyID.byteCount, let digest = FixedBytes(bytes) else { return nil }
        self.digest = digest
    }

    /// Parses the 64-character lowercase hex form.
    public init?(hex: some StringProtocol) {
        guard let parsed = Hex.withUTF8(of: hex, { Self(hexUTF8: $0) }) else { return nil }
        self = parsed
    }

    /// ``init(hex:)`` over the text's UTF-8 bytes.
    init?(hexUTF8 text: UnsafeRawBufferPointer) {
        guard let digest = FixedBytes(count: Self.byteCount, writing: { Hex.decode(utf8: text, into: $0) }) else { return nil }
        self.digest = digest
    }

    init(spkiDER: [UInt8]) {
        digest = FixedBytes(SHA256.hash(spkiDER))!
    }

    /// Calls `body` with the 32 digest bytes where they lie.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try digest.withUnsafeBytes(body)
    }

    public var hex: String { withUnsafeBytes { Hex.encode($0) } }
    /// The first 12 hex digits, for tables and logs, like a short git commit id.
    public var short: String { String(hex.prefix(12)) }
    public var description: String { hex }

    public static func < (lhs: KeyID, rhs: KeyID) -> Bool { lhs.digest.precedes(rhs.digest) }
}
