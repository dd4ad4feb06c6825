import CLI
import Foundation
import Ledger
import Projections
import Signing
import Testing
import TestSupport

/// `at=`: the views as they were at a record or a time, without touching the live views.
@Suite struct TimeTravelTests {
    @Test func listsShowTheViewsAsTheyWereAtASequenceNumberOrATime() throws {
        let home = try SeedWalkthroughTests.seededHome()
        #expect(home.run("add", "cluster", "137.110.119.118", "2").status == 0)
        let before = home.run("list", "host", "vm").stdout
        let clusterAt4 = home.run("list", "cluster", "at=4").stdout
        #expect(home.run("remove", "cluster", "frontend-0-0-0").status == 0)
        #expect(home.run("list", "host", "vm").stdout.isEmpty)
        // Record 4 is the add cluster: at=4 shows the cluster, at=3 shows none of it.
        #expect(home.run("list", "host", "vm", "at=4").stdout == before)
        #expect(home.run("list", "cluster", "at=4").stdout == clusterAt4)
        #expect(try Fixtures.matchesGolden(home.run("list", "cluster", "at=3").stdout, "seed/list-cluster-before.txt"))
        #expect(home.run("report", "vm", "nextmac", "at=3").stdout == "76:77:6e:40:00:00\n")
        // The live views are untouched by the look back.
        #expect(home.run("list", "host", "vm").stdout.isEmpty)

        let log = try #require(try CanonicalJSON.decode(Array(home.run("ledger", "log", "output-format=json").stdout.dropLast().utf8)).arrayValue)
        let time4 = try #require(log[3]["time"]?.stringValue)
        #expect(home.run("list", "host", "vm", "at=\(time4)").stdout == before)
        expectOneErrorLine(home.run("list", "host", "vm", "at=1970-01-01T00:00:00Z"), "the ledger has no record at or before")
        expectOneErrorLine(home.run("list", "host", "vm", "at=99"), "at=99 is outside the log")
        expectOneErrorLine(home.run("list", "host", "vm", "at=yesterday"), "at must be a sequence number or an RFC 3339 UTC time")
    }

    /// Many versions of the same rows, and more hosts than the read path parses in one chunk:
    /// each position shows its own memory sizes and hosts, read in parallel in a read
    /// transaction exactly as the serial reader of a write transaction reads them.
    @Test func everyPositionOfALongHistoryShowsItsOwnVersions() throws {
        let home = try RocksHome.seeded()
        #expect(home.run("add", "cluster", "137.110.119.118", "num-computes=100").status == 0)
        var memoryAt: [UInt64: Int64] = [:]
        for memory in stride(from: 512, through: 4096, by: 512) {
            #expect(home.run("set", "host", "vm", "hosted-vm-0-0-0", "mem=\(memory)").status == 0)
            memoryAt[try home.ledger().head().sequence] = Int64(memory)
        }
        #expect(home.run("remove", "host", "vm", "hosted-vm-0-0-1", "async=yes").status == 0)
        try home.succeedPendingEffects()
        let ledger = try home.ledger()
        let head = try ledger.head().sequence
        for (position, memory) in memoryAt {
            let then = DomainReader(environment: ledger.environment, asOf: position)
            #expect(try ledger.read { txn in try then.vm("hosted-vm-0-0-0", in: txn)?.memory } == memory)
            #expect(try ledger.read { txn in try then.host("hosted-vm-0-0-1", in: txn) } != nil)
        }
        for position in [1, head / 2, head] {
            let then = DomainReader(environment: ledger.environment, asOf: position)
            let parallel = try ledger.read { txn in try then.hosts([], in: txn) }
            let serial = try ledger.environment.write { txn in try then.hosts([], in: txn) }
            #expect(parallel == serial)
        }
        let live = DomainReader(environment: ledger.environment)
        // The frontend, two containers, the cluster's frontend and computes, less the one removed.
        #expect(try ledger.read { txn in try live.hosts([], in: txn) }.count == 3 + 101 - 1)
        #expect(try ledger.read { txn in try live.host("hosted-vm-0-0-1", in: txn) } == nil)
    }
}
