import Signing

/// The checkpoint ledgers wrote before the Merkle tree: the frontend's signed statement
/// "this ledger's record `sequence` has digest `head`", as canonical JSON. Read, never
/// written: such checkpoints stay in the ledgers that have them, and verify as they did,
/// and an auditor's saved copy is still accepted by `verify since=`. Every commit now ends
/// with a signed-note checkpoint (``StoredCheckpoint``).
public struct JSONCheckpoint: Sendable, Equatable {
    public static let version: Int64 = 1

    public let ledger: LedgerID
    public let sequence: UInt64
    public let head: [UInt8]
    public let time: Timestamp
    public let signer: KeyID
    public let algorithm: SignatureAlgorithm
    /// The canonical JSON body exactly as signed.
    public let body: [UInt8]
    public let signature: [UInt8]

    /// The stored and file form: canonical JSON with the body kept as a string, so its exact
    /// signed bytes survive any copy.
    public var document: [UInt8] {
        CanonicalJSON.encode(.object([
            "alg": .string(algorithm.rawValue),
            "body": .string(String(decoding: body, as: UTF8.self)),
            "key": .string(signer.hex),
            "signature": .string(Base64URL.encode(signature)),
        ]))
    }

    /// Reads a stored checkpoint document, exactly (no trailing bytes).
    public init(document bytes: [UInt8]) throws(LedgerError) {
        func fail(_ reason: String) -> LedgerError { LedgerError(.malformedCheckpoint, "checkpoint: \(reason)") }
        guard bytes.count <= 4096, let outer = (try? CanonicalJSON.decode(bytes, maximumDepth: 1))?.objectValue,
              outer.count == 4, let bodyText = outer["body"]?.stringValue,
              let algName = outer["alg"]?.stringValue, let algorithm = try? SignatureAlgorithm(name: algName),
              let keyText = outer["key"]?.stringValue, let signer = KeyID(hex: keyText),
              let signatureText = outer["signature"]?.stringValue, let signature = Base64URL.decode(signatureText)
        else { throw fail("not a canonical checkpoint document") }
        let body = Array(bodyText.utf8)
        guard let fields = (try? CanonicalJSON.decode(body, maximumDepth: 1))?.objectValue, fields.count == 5,
              fields["v"]?.integerValue == JSONCheckpoint.version,
              let ledgerText = fields["ledger"]?.stringValue, let ledger = LedgerID(hex: ledgerText),
              let sequence = fields["seq"]?.integerValue, sequence > 0,
              let headText = fields["head"]?.stringValue, let head = Hex.decode(headText), head.count == 32,
              let timeText = fields["time"]?.stringValue, let time = Timestamp(rfc3339: timeText)
        else { throw fail("body is not a version-1 checkpoint") }
        self.ledger = ledger
        self.sequence = UInt64(sequence)
        self.head = head
        self.time = time
        self.signer = signer
        self.algorithm = algorithm
        self.body = body
        self.signature = signature
    }

    /// Whether `key` signed this checkpoint's body.
    public func isSigned(by key: PublicKey) -> Bool {
        key.id == signer && key.isValidSignature(signature, for: body, algorithm: algorithm)
    }
}
