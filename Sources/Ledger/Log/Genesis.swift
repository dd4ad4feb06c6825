import Signing

/// Record 1: it names the ledger, its admin key and its frontend key, and carries every
/// argument `rocks init` was given.
public struct Genesis: Sendable {
    public static let op = "init"
    public static let adminKeyArgument = "admin-key"
    public static let frontendKeyArgument = "frontend-key"

    public let ledger: LedgerID
    public let adminKey: PublicKey
    public let frontendKey: PublicKey
    public let arguments: [String: String]

    /// Reads and checks a genesis request: the right op, both keys present and strong, and
    /// the request signed by the admin key it names.
    public init(request: SignedRequest) throws(LedgerError) {
        let envelope = request.envelope
        guard envelope.op == Genesis.op else {
            throw LedgerError(.corrupt, "the first record must be '\(Genesis.op)', not '\(envelope.op)'", sequence: 1)
        }
        guard let adminPEM = envelope.args[Genesis.adminKeyArgument], let frontendPEM = envelope.args[Genesis.frontendKeyArgument],
              let admin = try? PublicKey(pem: adminPEM), let frontend = try? PublicKey(pem: frontendPEM)
        else {
            throw LedgerError(.corrupt, "the genesis record must carry the admin and frontend public keys", sequence: 1)
        }
        guard admin.id == envelope.key, admin.id != frontend.id else {
            throw LedgerError(.corrupt, "the genesis record must be signed by its admin key, distinct from the frontend key", sequence: 1)
        }
        guard request.isSigned(by: admin) else {
            throw LedgerError(.badSignature, "the genesis record's signature is invalid", sequence: 1)
        }
        ledger = envelope.ledger
        adminKey = admin
        frontendKey = frontend
        arguments = envelope.args
    }
}
