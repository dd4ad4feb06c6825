import Signing

/// A verifier key, `<name>+<8 hex digits of key id>+<base64 of 0x01 ‖ 32-byte key>`: what an
/// auditor configures to trust a log's signed notes (the form Go's sumdb/note reads).
public struct NoteVerifierKey: Sendable, Hashable, CustomStringConvertible {
    /// The signature type of Ed25519 in signed notes.
    public static let ed25519Type: UInt8 = 0x01
    /// Longer text is refused before it is looked at.
    public static let textLimit = 4096

    public let name: String
    public let keyID: UInt32
    public let publicKey: PublicKey
    /// The key's 32 bytes, as RFC 8032 encodes them.
    public let rawKey: [UInt8]

    /// The verifier key for an Ed25519 public key under `name`.
    public init(name: String, publicKey: PublicKey) throws(TransparencyError) {
        try NoteKeyName.check(name)
        guard let raw = publicKey.rawEd25519 else {
            throw TransparencyError(.unsupportedKey, "signed notes are signed with Ed25519 keys; this is \(publicKey)")
        }
        self.name = name
        self.publicKey = publicKey
        self.rawKey = raw
        self.keyID = NoteKeyName.ed25519KeyID(name: name, rawKey: raw)
    }

    /// Reads a verifier key, refusing any spelling other than the one ``description``
    /// writes (lower-case hex, padded base64) and a key id that is not the key's.
    public init(_ text: String) throws(TransparencyError) {
        guard text.utf8.count <= Self.textLimit else {
            throw TransparencyError(.tooLarge, "a verifier key is longer than \(Self.textLimit) bytes")
        }
        let parts = text.split(separator: "+", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3 else {
            throw TransparencyError(.malformed, "a verifier key is <name>+<key id, 8 hex digits>+<base64 key>")
        }
        let name = String(parts[0])
        try NoteKeyName.check(name)
        let idText = parts[1].utf8
        guard idText.count == 8, idText.allSatisfy({ Hex.digits.contains($0) }), let idBytes = Hex.decode(parts[1]) else {
            throw TransparencyError(.malformed, "the key id of verifier key '\(name)' is not 8 lower-case hex digits")
        }
        guard let encoded = Base64.decode(Array(parts[2].utf8)) else {
            throw TransparencyError(.malformed, "the key of verifier key '\(name)' is not padded standard base64")
        }
        guard encoded.first == Self.ed25519Type else {
            throw TransparencyError(.unsupportedKey, "verifier key '\(name)' is not an Ed25519 key (type 0x01)")
        }
        guard encoded.count == 33 else {
            throw TransparencyError(.malformed, "the Ed25519 key of verifier key '\(name)' has \(encoded.count - 1) bytes, not 32")
        }
        let key: PublicKey
        do {
            key = try PublicKey(rawEd25519: Array(encoded.dropFirst()))
        } catch {
            throw TransparencyError(.malformed, "verifier key '\(name)': \(error.message)")
        }
        try self.init(name: name, publicKey: key)
        let claimed = idBytes.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        guard claimed == keyID else {
            throw TransparencyError(.malformed, "verifier key '\(name)' names key id \(String(parts[1])), but its key's id is \(Self.hex(keyID))")
        }
    }

    /// The verifier key as text, as Go's `note.NewEd25519VerifierKey` writes it.
    public var description: String {
        "\(name)+\(Self.hex(keyID))+\(Base64.encode([Self.ed25519Type] + rawKey))"
    }

    /// Whether `signature` is this key's Ed25519 signature over `text`.
    public func isValidSignature(_ signature: [UInt8], for text: [UInt8]) -> Bool {
        signature.count == 64 && publicKey.isValidSignature(signature, for: text, algorithm: .ed25519)
    }

    static func hex(_ id: UInt32) -> String {
        Hex.encode([UInt8(id >> 24), UInt8(id >> 16 & 0xff), UInt8(id >> 8 & 0xff), UInt8(id & 0xff)])
    }
}
