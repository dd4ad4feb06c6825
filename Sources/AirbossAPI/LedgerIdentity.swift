import Signing
import Transparency

/// `GET /v1/ledger`: which ledger the Airboss serves, the frontend key that signs its
/// checkpoints and certificate, and the newest signed checkpoint. Canonical JSON:
/// `{"checkpoint":"<signed note>","frontend-key":"<SPKI PEM>","ledger":"<32 hex digits>"}`.
public struct LedgerIdentity: Sendable {
    public let ledger: LedgerID
    public let frontendKey: PublicKey
    public let checkpoint: SignedNote

    public init(ledger: LedgerID, frontendKey: PublicKey, checkpoint: SignedNote) {
        self.ledger = ledger
        self.frontendKey = frontendKey
        self.checkpoint = checkpoint
    }

    public var json: [UInt8] {
        CanonicalJSON.encode([
            "checkpoint": .string(String(decoding: checkpoint.bytes, as: UTF8.self)),
            "frontend-key": .string(frontendKey.pem),
            "ledger": .string(ledger.hex),
        ])
    }

    /// Reads the answer; the client then checks it against what it pinned.
    public init(json bytes: [UInt8]) throws(ReceiptError) {
        guard let value = try? CanonicalJSON.decode(bytes, maximumDepth: 1), let object = value.objectValue,
              let ledger = object["ledger"]?.stringValue.flatMap(LedgerID.init(hex:)),
              let pem = object["frontend-key"]?.stringValue, let note = object["checkpoint"]?.stringValue
        else { throw ReceiptError("the Airboss's ledger description is malformed") }
        do {
            self.init(ledger: ledger, frontendKey: try PublicKey(pem: pem), checkpoint: try SignedNote(parsing: Array(note.utf8)))
        } catch {
            throw ReceiptError("the Airboss's ledger description is malformed: \(error)")
        }
    }
}
