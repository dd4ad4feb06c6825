import COpenSSL

/// Bytes from OpenSSL's CSPRNG, for nonces and ledger ids.
public enum SecureRandom {
    public static func bytes(_ count: Int) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: count)
        // RAND_bytes fails only when the OS entropy source is unusable; nothing we could
        // safely continue with, since every nonce and ledger id depends on it.
        guard RAND_bytes(&buffer, Int32(count)) == 1 else {
            fatalError("OpenSSL's random source failed: \(OpenSSLErrorQueue.drain() ?? "no reason given")")
        }
        return buffer
    }
}
