import Signing

/// Key names in signed notes and verifier keys: non-empty, no Unicode space and no `+`
/// (c2sp.org/signed-note), because a signature line ends the name at the first space and a
/// verifier key at the first `+`.
enum NoteKeyName {
    /// Longer names are refused, so a verifier key stays a line someone can paste.
    static let limit = 1024

    static func check(_ name: String) throws(TransparencyError) {
        guard !name.isEmpty else {
            throw TransparencyError(.malformed, "a key name must not be empty")
        }
        guard name.utf8.count <= limit else {
            throw TransparencyError(.malformed, "a key name is longer than \(limit) bytes")
        }
        for scalar in name.unicodeScalars {
            guard scalar != "+", !scalar.properties.isWhitespace, scalar.value >= 0x20 else {
                throw TransparencyError(.malformed, "the key name '\(name)' contains a space, a control character or '+'")
            }
        }
    }

    /// The C2SP key id of an Ed25519 key: the first four bytes, big-endian, of
    /// SHA-256(name ‖ 0x0A ‖ 0x01 ‖ the 32-byte key).
    static func ed25519KeyID(name: String, rawKey: [UInt8]) -> UInt32 {
        let digest = SHA256.hash(Array(name.utf8) + [0x0a, NoteVerifierKey.ed25519Type] + rawKey)
        return digest.prefix(4).reduce(0) { $0 << 8 | UInt32($1) }
    }
}
