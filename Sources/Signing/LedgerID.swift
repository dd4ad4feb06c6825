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
    public let bytes: [UInt8]

    public init?(bytes: [UInt8]) {
        guard bytes.count == Nonce.byteCount else { return nil }
        self.bytes = bytes
    }

    public init?(text: String) {
        guard let bytes = Base64URL.decode(text) else { return nil }
        self.init(bytes: bytes)
    }

    /// ``init(text:)`` over the text's UTF-8 bytes.
    init?(utf8 text: UnsafeRawBufferPointer) {
        guard let bytes = Base64URL.decode(utf8: text) else { return nil }
        self.init(bytes: bytes)
    }

    public static func random() -> Nonce { Nonce(bytes: SecureRandom.bytes(byteCount))! }

    public var text: String { Base64URL.encode(bytes) }
    public var description: String { text }
}
