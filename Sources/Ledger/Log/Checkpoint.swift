import Signing

/// The frontend's signed statement "this ledger's record `sequence` has digest `head`",
/// written at the end of every commit. Because the frontend signs it, decisions and append
/// times are covered by a signature and not only by the chain; an auditor who keeps one can
/// later prove that the log only grew (`rocks ledger verify since=`).
public struct Checkpoint: Sendable, Equatable {
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

    /// Signs a checkpoint for `sequence`/`head` with the frontend key.
    init(ledger: LedgerID, sequence: UInt64, head: [UInt8], time: Timestamp, signedBy key: PrivateKey) throws {
        self.ledger = ledger
        self.sequence = sequence
        self.head = head
        self.time = time
        self.signer = key.id
        self.algorithm = .preferred(for: key.kind)
        self.body = CanonicalJSON.encode(.object([
            "v": .integer(Checkpoint.version),
            "ledger": .string(ledger.hex),
            "seq": .integer(Int64(sequence)),
            "head": .string(Hex.encode(head)),
            "time": .string(time.rfc3339Nanoseconds),
        ]))
        self.signature = try key.sign(body, algorithm: algorithm)
    }

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

    /// Reads a checkpoint file: the document, optionally followed by one newline.
    public static func read(file raw: [UInt8]) throws(LedgerError) -> Checkpoint {
        try Checkpoint(document: raw.last == UInt8(ascii: "\n") ? Array(raw.dropLast()) : raw)
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
              fields["v"]?.integerValue == Checkpoint.version,
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

    /// The `checkpoints` database key: the sequence as 20 decimal digits. Deliberately not
    /// 8-byte big-endian, which only the `records` database uses.
    static func key(_ sequence: UInt64) -> [UInt8] {
        let digits = String(sequence)
        return Array((String(repeating: "0", count: 20 - digits.count) + digits).utf8)
    }
}
