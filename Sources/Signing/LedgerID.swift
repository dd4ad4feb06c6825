/// A ledger's identity: 16 random bytes chosen at `rocks init`, written as 32 hex digits.
///
/// Every request names the ledger it is meant for, so a request signed for one frontend
/// cannot be replayed on another.
public struct LedgerID: Hashable, Sendable, CustomStringConvertible {
    public static let byteCount = 16
    public let bytes: [UInt8]

    public init?(bytes: [UInt8]) {
        guard bytes.count == LedgerID.byteCount else { return nil }
        self.bytes = bytes
    }

    public init?(hex: some StringProtocol) {
        guard hex.utf8.count == 2 * LedgerID.byteCount, let bytes = Hex.decode(hex) else { return nil }
        self.bytes = bytes
    }

    public static func random() -> LedgerID { LedgerID(bytes: SecureRandom.bytes(byteCount))! }

    public var hex: String { Hex.encode(bytes) }
    public var description: String { hex }
}

/// A request's single-use token: 16 random bytes, written as base64url without padding.
public struct Nonce: Hashable, Sendable, CustomStringConvertible {
    public static let byteCount = 16
    /// Characters in ``text``: 16 bytes in unpadded base64url.
    static let textCount = 22

    /// The token, held inline (see ``FixedBytes``).
    private let token: FixedBytes

    public var bytes: [UInt8] { token.array }

    public init?(bytes: [UInt8]) {
        guard bytes.count == Nonce.byteCount, let token = FixedBytes(bytes) else { return nil }
        self.token = token
    }

    public init?(text: String) {
        var text = text  // `withUTF8` reads a native string in place, with no copy of its bytes
        guard let nonce = text.withUTF8({ Self(utf8: UnsafeRawBufferPointer($0)) }) else { return nil }
        self = nonce
    }

    /// ``init(text:)`` over the text's UTF-8 bytes.
    init?(utf8 text: UnsafeRawBufferPointer) {
        guard let token = FixedBytes(count: Self.byteCount, writing: { Base64URL.decode(utf8: text, into: $0) == Self.byteCount })
        else { return nil }
        self.token = token
    }

    /// Calls `body` with the 16 bytes where they lie.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try token.withUnsafeBytes(body)
    }

    public static func random() -> Nonce { Nonce(bytes: SecureRandom.bytes(byteCount))! }

    public var text: String { Base64URL.encode(bytes) }
    public var description: String { text }
}
