import Signing

/// The RFC 6962 / RFC 9162 hashes over SHA-256. Leaves and interior nodes get different
/// one-byte prefixes so that no leaf can pass for a node (the second-preimage defence).
public enum MerkleHash {
    public static let byteCount = SHA256.byteCount

    /// The root of the empty tree: SHA-256 of no bytes.
    public static let emptyRoot: [UInt8] = SHA256.hash([])

    /// SHA-256(0x00 ‖ leaf).
    public static func leaf(_ bytes: [UInt8]) -> [UInt8] {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: bytes.count + 1) { buffer in
            buffer[0] = 0
            _ = UnsafeMutableBufferPointer(rebasing: buffer[1...]).initialize(from: bytes)
            return SHA256.hash(UnsafeRawBufferPointer(buffer))
        }
    }

    /// SHA-256(0x01 ‖ left ‖ right), hashed from the stack: a proof or root computes one per
    /// level.
    public static func node(_ left: [UInt8], _ right: [UInt8]) -> [UInt8] {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 1 + left.count + right.count) { buffer in
            buffer[0] = 1
            var next = 1
            for byte in left { buffer[next] = byte; next += 1 }
            for byte in right { buffer[next] = byte; next += 1 }
            return SHA256.hash(UnsafeRawBufferPointer(buffer))
        }
    }
}
