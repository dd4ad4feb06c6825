import LedgerRecords
import Signing
import Transparency

/// What the Airboss hands back with every answer: a c2sp.org/tlog-proof@v1 file proving that
/// the record holding the request is in the log, with the record's stored bytes as its extra
/// data and the signed checkpoint it is proven against.
///
/// A client believes an answer only after ``check(key:request:)``: the record is whole, sits
/// at the proof's index, holds exactly the request bytes and signature that were sent; its
/// digest (the leaf) hashes into the proof, and the proof into a checkpoint signed by the
/// pinned frontend key for the pinned ledger.
public struct Receipt: Sendable {
    public let proof: InclusionProofFile

    public init(_ proof: InclusionProofFile) {
        self.proof = proof
    }

    /// Reads a receipt's syntax; trusts nothing.
    public init(parsing bytes: [UInt8]) throws(ReceiptError) {
        do {
            proof = try InclusionProofFile(parsing: bytes)
        } catch {
            throw ReceiptError("the receipt is not a tlog-proof file: \(error.message)")
        }
    }

    public var bytes: [UInt8] { proof.bytes }

    /// What a checked receipt proves.
    public struct Checked: Sendable {
        public let record: Record
        public let checkpoint: Checkpoint
    }

    /// Checks the receipt against `frontendKey`, pinned for `ledger`; with `request`, also
    /// that the record holds exactly that request and signature.
    public func check(frontendKey: PublicKey, ledger: LedgerID, request: SignedRequest? = nil) throws(ReceiptError) -> Checked {
        // The proof's check verifies the checkpoint's signature, once.
        try check(key: Self.unverifiedKey(for: proof.checkpoint, frontendKey: frontendKey, ledger: ledger), request: request)
    }

    /// The verifier key that checks `note`, a checkpoint of `ledger`, signed by `frontendKey`;
    /// thrown when the note does not verify.
    public static func verifierKey(for note: SignedNote, frontendKey: PublicKey, ledger: LedgerID) throws(ReceiptError) -> NoteVerifierKey {
        let key = try unverifiedKey(for: note, frontendKey: frontendKey, ledger: ledger)
        do {
            _ = try SignedCheckpoint(note: note, key: key)
            return key
        } catch {
            throw ReceiptError("the checkpoint does not verify with frontend key \(frontendKey.id.short): \(error.message)")
        }
    }

    /// The key `note` must verify with, not yet verified: the origin is the frontend's name
    /// and the ledger id, and only the ledger id is pinned, so the origin must end with it.
    private static func unverifiedKey(for note: SignedNote, frontendKey: PublicKey, ledger: LedgerID) throws(ReceiptError) -> NoteVerifierKey {
        let origin: String
        do {
            origin = try Checkpoint(text: note.text).origin
        } catch {
            throw ReceiptError("the checkpoint is not a checkpoint: \(error.message)")
        }
        guard origin.hasSuffix("/rocks/" + ledger.hex) else {
            throw ReceiptError("the checkpoint is for \(MessageText.quote(origin)), not ledger \(ledger.hex)")
        }
        do {
            return try NoteVerifierKey(name: origin, publicKey: frontendKey)
        } catch {
            throw ReceiptError("the checkpoint's origin \(MessageText.quote(origin)) cannot name a verifier key: \(error.message)")
        }
    }

    /// Checks the receipt against a log's verifier key (`rocks ledger checkpoint vkey=yes`).
    public func check(key: NoteVerifierKey, request: SignedRequest? = nil) throws(ReceiptError) -> Checked {
        guard let stored = proof.extra else { throw ReceiptError("the receipt carries no record") }
        return try check(record: stored, key: key, request: request)
    }

    /// ``check(key:request:)`` for a record's stored bytes given beside the proof, whose extra
    /// line may then be absent (`rocks ledger verify-proof leaf=`).
    public func check(record stored: [UInt8], key: NoteVerifierKey, request: SignedRequest? = nil) throws(ReceiptError) -> Checked {
        let record: Record
        do {
            record = try Record(stored: stored)
        } catch {
            throw ReceiptError("the record proved is not a whole ledger record: \(error.message)")
        }
        guard record.sequence == proof.index + 1 else {
            throw ReceiptError("the record proved is record \(record.sequence), not record \(proof.index + 1), the proof's index + 1")
        }
        if let request {
            let held = try? record.request
            guard let held, held.bytes == request.bytes, held.signature == request.signature else {
                throw ReceiptError("record \(record.sequence) does not hold the request that was sent")
            }
        }
        do {
            return Checked(record: record, checkpoint: try proof.verify(leaf: record.digest, key: key))
        } catch {
            throw ReceiptError("the proof does not verify: \(error.message)")
        }
    }
}

/// A receipt that proves nothing, and why.
public struct ReceiptError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
