#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Up to 32 bytes held inline, for identifiers of a fixed length (``KeyID``, ``Nonce``).
///
/// Every record a rebuild reads carries a key id and a nonce; held inline they cost no heap
/// allocation on the reading thread, and no reference count when a record crosses to the
/// folding thread.
struct FixedBytes: Hashable, Sendable {
    static let capacity = 32

    /// The bytes, then zeros: equal values are equal words.
    private var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    let count: Int

    /// A copy of `bytes`; nil if there are more than ``capacity``.
    init?(_ bytes: some Collection<UInt8>) {
        guard bytes.count <= Self.capacity else { return nil }
        count = bytes.count
        Swift.withUnsafeMutableBytes(of: &words) { $0.copyBytes(from: bytes) }
    }

    /// Bytes `write` puts in place: it is given room for `count` and returns whether they are valid.
    init?(count: Int, writing write: (UnsafeMutableRawBufferPointer) -> Bool) {
        guard count <= Self.capacity else { return nil }
        self.count = count
        let written = Swift.withUnsafeMutableBytes(of: &words) { write(UnsafeMutableRawBufferPointer(rebasing: $0[..<count])) }
        guard written else { return nil }
    }

    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try Swift.withUnsafeBytes(of: words) { try body(UnsafeRawBufferPointer(rebasing: $0[..<count])) }
    }

    var array: [UInt8] { withUnsafeBytes { Array($0) } }

    static func == (lhs: FixedBytes, rhs: FixedBytes) -> Bool {
        lhs.count == rhs.count && lhs.words == rhs.words
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
    }

    /// Byte order, shorter first on a tie: the order of the bytes as text in hex.
    func precedes(_ other: FixedBytes) -> Bool {
        withUnsafeBytes { mine in other.withUnsafeBytes { theirs in mine.compareBytes(theirs) < 0 } }
    }
}
