#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A buffer of `Int32`s that each thread keeps and lends again and again: the tables of
/// ``JSONBytes/indexed(_:_:)``. A rebuild's parsing thread indexes every decision it reads,
/// and a table a few kilobytes long, made fresh each time, would be an aligned heap
/// allocation and a free per record (stack temporaries go to the heap past a kilobyte).
enum ThreadScratch {
    /// The elements a thread keeps: a table for a decision of about ten kilobytes. Longer
    /// ones (rare) get a temporary table, so that no thread keeps an outsized one.
    static let keptCapacity = 16 * 1024

    /// What starts each thread's buffer; the elements follow it.
    private struct Header {
        /// Whether a call has the buffer lent out now (a nested call gets a table of its own).
        var lent: Bool
    }

    /// Each thread's buffer, freed by the thread's exit.
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        let status = pthread_key_create(&key) { free($0) }
        precondition(status == 0, "cannot create a thread-specific key: \(status)")
        return key
    }()

    /// Calls `body` with `count` uninitialised `Int32`s: this thread's buffer, or a temporary
    /// one when the buffer is lent out or `count` is beyond ``keptCapacity``.
    static func withInt32s<T>(count: Int, _ body: (UnsafeMutableBufferPointer<Int32>) throws -> T) rethrows -> T {
        guard count <= keptCapacity, let block = threadBuffer() else {
            return try withUnsafeTemporaryAllocation(of: Int32.self, capacity: count, body)
        }
        let header = block.assumingMemoryBound(to: Header.self)
        header.pointee.lent = true
        defer { header.pointee.lent = false }
        let elements = (block + MemoryLayout<Header>.stride).bindMemory(to: Int32.self, capacity: count)
        return try body(UnsafeMutableBufferPointer(start: elements, count: count))
    }

    /// This thread's buffer, made on first use; nil when it is lent out or cannot be made.
    private static func threadBuffer() -> UnsafeMutableRawPointer? {
        if let kept = pthread_getspecific(key) { return kept.load(as: Header.self).lent ? nil : kept }
        let byteCount = MemoryLayout<Header>.stride + keptCapacity * MemoryLayout<Int32>.stride
        guard let made = malloc(byteCount) else { return nil }
        made.initializeMemory(as: Header.self, repeating: Header(lent: false), count: 1)
        guard pthread_setspecific(key, made) == 0 else {
            free(made)
            return nil
        }
        return made
    }
}
