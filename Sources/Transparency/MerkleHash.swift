import Signing

/// The RFC 6962 / RFC 9162 hashes over SHA-256. Leaves and interior nodes get different
/// one-byte prefixes so that no leaf can pass for a node (the second-preimage defence).
public enum MerkleHash {
    public static let byteCount = SHA256.byteCount

    /// The root of the empty tree: SHA-256 of no bytes.
    public static let emptyRoot: [UInt8] = SHA256.hash([])

    /// SHA-256(0x00 ‖ leaf).
    public static func leaf(_ bytes: [UInt8]) -> [UInt8] {
        bytes.withUnsafeBytes { bytes in hashed { leaf(bytes, into: $0) } }
    }

    /// SHA-256(0x00 ‖ leaf), written into the first 32 bytes of `out`.
    public static func leaf(_ bytes: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer) {
        withUnsafeTemporaryAllocation(byteCount: 1 + bytes.count, alignment: 1) { buffer in
            buffer[0] = 0
            UnsafeMutableRawBufferPointer(rebasing: buffer[1...]).copyMemory(from: bytes)
            SHA256.hash(UnsafeRawBufferPointer(buffer), into: out)
        }
    }

    /// SHA-256(0x01 ‖ left ‖ right), hashed from the stack: a proof or root computes one per
    /// level.
    public static func node(_ left: [UInt8], _ right: [UInt8]) -> [UInt8] {
        left.withUnsafeBytes { left in right.withUnsafeBytes { right in hashed { node(left, right, into: $0) } } }
    }

    /// SHA-256(0x01 ‖ left ‖ right), written into the first 32 bytes of `out`.
    public static func node(_ left: UnsafeRawBufferPointer, _ right: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer) {
        withUnsafeTemporaryAllocation(byteCount: 1 + left.count + right.count, alignment: 1) { buffer in
            buffer[0] = 1
            UnsafeMutableRawBufferPointer(rebasing: buffer[1...]).copyMemory(from: left)
            UnsafeMutableRawBufferPointer(rebasing: buffer[(1 + left.count)...]).copyMemory(from: right)
            SHA256.hash(UnsafeRawBufferPointer(buffer), into: out)
        }
    }

    private static func hashed(_ write: (UnsafeMutableRawBufferPointer) -> Void) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: byteCount) { out, count in
            write(UnsafeMutableRawBufferPointer(out))
            count = byteCount
        }
    }
}
