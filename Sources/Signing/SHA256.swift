import COpenSSL

/// SHA-256, the digest of records, key ids and checkpoints.
public enum SHA256 {
    public static let byteCount = 32

    public static func hash(_ data: [UInt8]) -> [UInt8] {
        data.withUnsafeBytes { hash($0) }
    }

    /// Fetched once: handed `EVP_sha256()`, OpenSSL 3 looks the implementation up in its
    /// providers on every digest, which cost a third of hashing a record. OpenSSL documents
    /// a fetched algorithm as shareable between threads.
    private nonisolated(unsafe) static let algorithm: OpaquePointer? = EVP_MD_fetch(nil, "SHA256", nil)

    public static func hash(_ data: UnsafeRawBufferPointer) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: byteCount)
        var length: UInt32 = 0
        let ok = EVP_Digest(data.baseAddress, data.count, &out, &length, algorithm ?? EVP_sha256(), nil)
        // EVP_Digest with a built-in digest fails only on allocation failure.
        precondition(ok == 1 && length == 32, "SHA-256 failed: \(OpenSSLErrorQueue.drain() ?? "")")
        return out
    }
}
