import Signing

/// One signature line of a signed note: `— <name> <base64(key id ‖ signature)>`.
public struct NoteSignature: Sendable, Hashable {
    /// An em dash and a space begin every signature line.
    static let prefix: [UInt8] = Array("— ".utf8)

    public let name: String
    public let keyID: UInt32
    public let signature: [UInt8]

    public init(name: String, keyID: UInt32, signature: [UInt8]) {
        self.name = name
        self.keyID = keyID
        self.signature = signature
    }

    /// The line, ending in a newline.
    public var line: String {
        let id = [UInt8(keyID >> 24), UInt8(keyID >> 16 & 0xff), UInt8(keyID >> 8 & 0xff), UInt8(keyID & 0xff)]
        return "— \(name) \(Base64.encode(id + signature))\n"
    }

    /// Reads one line, without its newline.
    init(line: ArraySlice<UInt8>) throws(TransparencyError) {
        guard line.starts(with: Self.prefix) else {
            throw TransparencyError(.malformed, "a line after the note's last blank line is not a signature line ('— <name> <signature>')")
        }
        let rest = line.dropFirst(Self.prefix.count)
        guard let space = rest.firstIndex(of: 0x20) else {
            throw TransparencyError(.malformed, "a signature line has no space between the key name and the signature")
        }
        let name = String(decoding: rest[..<space], as: UTF8.self)
        try NoteKeyName.check(name)
        let encoded = rest[(space + 1)...]
        guard !encoded.isEmpty, let bytes = Base64.decode(encoded), bytes.count >= 5 else {
            throw TransparencyError(.malformed, "the signature by '\(name)' is not padded standard base64 of a key id and a signature")
        }
        self.name = name
        self.keyID = bytes.prefix(4).reduce(0) { $0 << 8 | UInt32($1) }
        self.signature = Array(bytes.dropFirst(4))
    }
}
