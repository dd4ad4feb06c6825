import Signing

/// A request whose signature was checked over its received bytes against the key its envelope
/// names, in force when it was checked (``Ledger/verify(_:)``). Appending it checks again,
/// inside the write transaction, that the key is still in force.
public struct VerifiedRequest: Sendable {
    public let request: SignedRequest
    let key: PublicKey
}
