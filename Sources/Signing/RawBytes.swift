import Glibc

extension UnsafeRawBufferPointer {
    /// Whether both hold the same bytes: one `memcmp`, where `elementsEqual` steps two
    /// iterators byte by byte (keys are compared on every read of a view).
    public func hasSameBytes(as other: UnsafeRawBufferPointer) -> Bool {
        guard count == other.count else { return false }
        guard count > 0, let base = baseAddress, let otherBase = other.baseAddress else { return true }
        return memcmp(base, otherBase, count) == 0
    }
}
