import Testing
import TestSupport

/// `rocks` allocates through jemalloc (`Package.swift`'s `allocator`), which a rebuild's
/// batches of small values need. A linker that dropped the library, or a libc found before
/// it, would leave glibc's `malloc` in place without a word: jemalloc alone reads
/// `MALLOC_CONF` and prints its statistics at exit when asked.
@Suite struct AllocatorTests {
    @Test func theRocksExecutableAllocatesThroughJemalloc() throws {
        let output = try ProcessRunner.run(ProcessRunner.product("rocks"), ["--help"], environment: ["MALLOC_CONF": "stats_print:true"])
        #expect(output.status == 0)
        #expect(output.stderr.contains("Begin jemalloc statistics"))
    }
}
