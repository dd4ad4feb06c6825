#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension UnsafeRawBufferPointer {
    /// Whether both hold the same bytes: one `memcmp`, where `elementsEqual` steps two
    /// iterators byte by byte (keys are compared on every read of a view).
    public func hasSameBytes(as other: UnsafeRawBufferPointer) -> Bool {
        guard count == other.count else { return false }
        guard count > 0, let base = baseAddress, let otherBase = other.baseAddress else { return true }
        return memcmp(base, otherBase, count) == 0
    }

    /// Negative, zero or positive as these bytes sort before, with or after `other`, byte by
    /// byte and shorter first: the order LMDB keeps keys in, and canonical JSON's for ASCII keys.
    public func compareBytes(_ other: UnsafeRawBufferPointer) -> Int {
        let common = Swift.min(count, other.count)
        if common > 0, let base = baseAddress, let otherBase = other.baseAddress {
            let order = memcmp(base, otherBase, common)
            if order != 0 { return Int(order) }
        }
        return count - other.count
    }
}
