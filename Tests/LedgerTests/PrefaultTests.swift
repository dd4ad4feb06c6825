import Glibc
import Ledger
import Testing
import TestSupport

/// A rebuild's helper brings the pages past the end of the data into the page cache before
/// the fold takes them, so the fold does not zero them in its own page faults.
@Suite struct PrefaultTests {
    @Test func prefaultBringsThePagesPastTheDataIntoThePageCache() throws {
        let directory = TemporaryDirectory("prefault")
        var options = LMDBEnvironment.Options()
        options.mapSize = 64 << 20
        let environment = try LMDBEnvironment(directory: directory.path, databaseNames: ["views"], options: options)
        // A new environment uses its meta pages and a page naming its databases; the map
        // (and, with MDB_WRITEMAP, the file) runs to 64 MiB. The cache is emptied first.
        let file = directory.path + "/data.mdb", start = environment.usedFileSize, count = 1024
        try evict(file)
        let before = try residentPages(of: file, from: start, count: count)
        #expect(before == 0)
        environment.prefault(pages: count)
        let after = try residentPages(of: file, from: start, count: count)
        #expect(after == count)
        // Nor, well past them (beyond any read-ahead), the rest of the file.
        #expect(try residentPages(of: file, from: start + count * 4096 + (16 << 20), count: count) == 0)
    }

    /// The prefault brings in the pages the fold takes past the data, less those it takes
    /// from the free list: only pages freed before the last commit count, since LMDB reuses
    /// none of the last transaction's (a rebuild just after another frees every view page).
    @Test func onlyPagesFreedBeforeTheLastCommitCountAsReusable() throws {
        let directory = TemporaryDirectory("free-pages")
        let environment = try LMDBEnvironment(directory: directory.path, databaseNames: ["views"])
        let views = environment.database("views")
        let row = [UInt8](repeating: 7, count: 1000)
        try environment.write { txn in
            for index in 0..<2000 { try txn.put(views, Array("row \(index)".utf8), row) }
        }
        let written = try environment.read { txn in try txn.pageCount(views) }
        try environment.write { txn in try txn.empty(views) }
        // The emptying freed every page of the views, in the last transaction: none reusable.
        #expect(try environment.read { txn in try txn.reusableFreePageCount() } < written / 10)
        try environment.write { txn in try txn.put(views, Array("one".utf8), row) }
        // One commit later they are, less the few that commit itself took.
        let reusable = try environment.read { txn in try txn.reusableFreePageCount() }
        #expect(reusable >= written - 10 && reusable <= written + 10)
    }

    /// Drops `file`'s clean pages from the page cache.
    private func evict(_ file: String) throws {
        let fd = open(file, O_RDONLY)
        try #require(fd >= 0)
        defer { close(fd) }
        try #require(posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED) == 0)
    }

    /// How many of `count` pages of `file` from byte `start` are in the page cache.
    private func residentPages(of file: String, from start: Int, count: Int) throws -> Int {
        let fd = open(file, O_RDONLY)
        try #require(fd >= 0)
        defer { close(fd) }
        let length = count * 4096
        let mapping = try #require(mmap(nil, length, PROT_READ, MAP_SHARED, fd, off_t(start)))
        try #require(mapping != MAP_FAILED)
        defer { munmap(mapping, length) }
        var resident = [UInt8](repeating: 0, count: count)
        try #require(mincore(mapping, length, &resident) == 0)
        return resident.filter { $0 & 1 == 1 }.count
    }
}
