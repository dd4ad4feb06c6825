import Foundation
import Signing
import TestSupport
import Transparency

/// The signed-note vectors of fixtures/transparency/note-vectors.json: golang/mod
/// `sumdb/note/note_test.go` (commit fe2ec04f7c3c3aa6fad97631aafcff6e49e2d1db) and the
/// examples of C2SP `signed-note.md` and `tlog-checkpoint.md`.
struct NoteVectors: Decodable {
    struct Key: Decodable {
        let name: String
        let keyID: String
        let verifierKey: String
        let signerKey: String?
        let signatureLine: String
    }
    let keys: [Key]
    let text: String
    let badVerifierKeys: [String]
    let c2spNote: String
    let c2spCheckpoint: String

    static func load() throws -> NoteVectors {
        try JSONDecoder().decode(NoteVectors.self, from: Data(Fixtures.text("transparency/note-vectors.json").utf8))
    }

    var peter: Key { keys[0] }
    var enoch: Key { keys[1] }

    /// Go's signer key `PRIVATE+KEY+<name>+<id>+<base64(0x01 ‖ seed)>` as a PKCS#8 PEM, which
    /// is how this project reads private keys: the DER is a fixed 16-byte prefix and the seed.
    static func privateKey(fromGoSignerKey text: String) throws -> PrivateKey {
        let parts = text.split(separator: "+", maxSplits: 4)
        guard let encoded = Base64.decode(String(parts[4])) else { throw TransparencyError(.malformed, "signer key") }
        let der: [UInt8] = [0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20]
            + encoded.dropFirst()
        return try PrivateKey(pem: "-----BEGIN PRIVATE KEY-----\n\(Base64.encode(der))\n-----END PRIVATE KEY-----\n")
    }
}
