import Signing

/// An Ed25519 private key under a key name: what signs the log's checkpoints.
public struct NoteSigner: Sendable {
    public let verifierKey: NoteVerifierKey
    let privateKey: PrivateKey

    public var name: String { verifierKey.name }
    public var keyID: UInt32 { verifierKey.keyID }

    /// Refuses RSA keys: signed notes name Ed25519 (type 0x01) only here.
    public init(name: String, privateKey: PrivateKey) throws(TransparencyError) {
        self.verifierKey = try NoteVerifierKey(name: name, publicKey: privateKey.publicKey)
        self.privateKey = privateKey
    }

    /// This key's signature over a note's text.
    public func sign(_ text: [UInt8]) throws(TransparencyError) -> NoteSignature {
        let signature: [UInt8]
        do {
            signature = try privateKey.sign(text, algorithm: .ed25519)
        } catch {
            throw TransparencyError(.unsupportedKey, "cannot sign the note: \(error.message)")
        }
        return NoteSignature(name: name, keyID: keyID, signature: signature)
    }
}
