import CSodium

/// The project's one rule for Ed25519, applied by libsodium wherever an Ed25519 signature
/// or key is checked:
///
/// - a public key must be the canonical encoding of a point of prime order: small-order and
///   mixed-order keys are refused when read, so no key the ledger holds can sign two
///   different messages with one signature or be forged against;
/// - a signature's S must be below the group order, its R must be canonical and not of
///   small order, and it must satisfy the cofactorless equation [S]B = R + [k]A.
///
/// This is libsodium's `crypto_sign_verify_detached` behind a key check that also refuses
/// mixed-order keys ("Taming the many EdDSAs" calls the combination strict). OpenSSL still
/// reads and writes keys and signs; it verifies RSA only, so no two verifiers can disagree.
enum Ed25519 {
    static let publicKeyBytes = Int(crypto_sign_PUBLICKEYBYTES)
    static let signatureBytes = Int(crypto_sign_BYTES)

    /// `sodium_init` picks the fastest implementations for this CPU and must run once before
    /// any other call; it is thread-safe and idempotent.
    private static let ready: Bool = sodium_init() >= 0

    /// Whether `key` (32 bytes) is canonical, not of small order and in the prime-order
    /// subgroup.
    static func isAcceptableKey(_ key: UnsafeRawBufferPointer) -> Bool {
        precondition(ready, "libsodium failed to initialise")
        guard key.count == publicKeyBytes, let base = key.baseAddress else { return false }
        return crypto_core_ed25519_is_valid_point(base.assumingMemoryBound(to: UInt8.self)) == 1
    }

    /// Whether `signature` is valid over `message` under `key`, by the rule above. The key is
    /// assumed to have passed `isAcceptableKey`.
    static func isValid(signature: UnsafeRawBufferPointer, message: UnsafeRawBufferPointer, key: UnsafeRawBufferPointer) -> Bool {
        precondition(ready, "libsodium failed to initialise")
        guard signature.count == signatureBytes, key.count == publicKeyBytes,
              let sig = signature.baseAddress, let pk = key.baseAddress
        else { return false }
        // libsodium reads nothing through a null message pointer when the length is zero.
        let msg = message.baseAddress?.assumingMemoryBound(to: UInt8.self)
        return crypto_sign_verify_detached(
            sig.assumingMemoryBound(to: UInt8.self), msg, UInt64(message.count),
            pk.assumingMemoryBound(to: UInt8.self)) == 0
    }
}
