import RocksGrammar
import Signing

#if canImport(Glibc)
import Glibc
#endif

/// The Airboss's TLS key and certificate, kept in `$ROCKS_HOME/keys`: the P-256 key is made
/// once (mode 0600) and the certificate, signed by the frontend key and naming the ledger, is
/// issued again at every start, so it always names the ledger served and the key that signs
/// its checkpoints.
struct AirbossTLSIdentity {
    static let keyFile = "airboss-tls.pem"
    static let certificateFile = "airboss-tls.crt"
    /// How long an issued certificate is valid: clients check it, and every start renews it.
    static let validityDays = 365

    let keyPEM: String
    let certificate: ServerCertificate

    /// Loads (or makes) the key and issues the certificate.
    static func load(keys directory: String, ledger: LedgerID, frontendKey: PrivateKey, now: Timestamp) throws -> AirbossTLSIdentity {
        let keyPath = directory + "/" + keyFile
        let keyPEM: String
        if access(keyPath, F_OK) == 0 {
            keyPEM = try KeyFiles.readPrivate(keyPath)
        } else {
            keyPEM = try ServerCertificate.makeServerKeyPEM()
            try KeyFiles.writePrivateKey(keyPEM, to: keyPath)
        }
        let certificate = try ServerCertificate.issue(serverKeyPEM: keyPEM, ledger: ledger, issuer: frontendKey, now: now, days: validityDays)
        try KeyFiles.writeAtomically(Array(try certificate.pem.utf8), to: directory + "/" + certificateFile)
        return AirbossTLSIdentity(keyPEM: keyPEM, certificate: certificate)
    }
}

/// Why the Airboss cannot start or serve.
public struct AirbossError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
