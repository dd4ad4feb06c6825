import COpenSSL

/// SHA-256, the digest of records, key ids and checkpoints.
public enum SHA256 {
    public static let byteCount = 32

    public static func hash(_ data: [UInt8]) -> [UInt8] {
        data.withUnsafeBytes { hash($0) }
    }

    public static func hash(_ data: UnsafeRawBufferPointer) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: byteCount) { out, count in
            hash(data, into: UnsafeMutableRawBufferPointer(out))
            count = byteCount
        }
    }

    /// Writes the digest of `data` into the first ``byteCount`` bytes of `out`, which a caller
    /// hashing for every record (the Merkle tree's leaves and nodes) keeps on its stack.
    public static func hash(_ data: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer) {
        precondition(out.count >= byteCount, "room for a SHA-256 digest")
        rocks_sha256(data.baseAddress, data.count, out.baseAddress?.assumingMemoryBound(to: UInt8.self))
    }

    /// Whether `digest` is the SHA-256 of `data`, worked out on the stack: a rebuild checks a
    /// digest for every record it reads.
    public static func digest(of data: UnsafeRawBufferPointer, is digest: UnsafeRawBufferPointer) -> Bool {
        withUnsafeTemporaryAllocation(byteCount: byteCount, alignment: 1) { out in
            hash(data, into: out)
            return UnsafeRawBufferPointer(out).hasSameBytes(as: digest)
        }
    }
}
