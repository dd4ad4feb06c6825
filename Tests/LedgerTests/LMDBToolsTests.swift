import Foundation
import Ledger
import Projections
import Testing
import TestSupport

/// The ledger is a plain LMDB environment that lmdb-utils read.
@Suite struct LMDBToolsTests {
    @Test func mdbStatAndMdbDumpReadTheEnvironment() throws {
        let test = try TestLedger()
        try test.fill(25, batch: 5)
        let stat = try ProcessRunner.run("mdb_stat", ["-a", test.path])
        #expect(stat.status == 0, "\(stat.stderr)")
        for name in [Ledger.recordsName, Ledger.checkpointsName, Ledger.noncesName, "keys", "hosts"] {
            #expect(stat.stdout.contains("Status of \(name)"))
        }
        let dump = try ProcessRunner.run("mdb_dump", ["-s", Ledger.recordsName, test.path])
        #expect(dump.status == 0, "\(dump.stderr)")
        let lines = dump.stdout.split(separator: "\n")
        let body = lines.drop { $0 != "HEADER=END" }.dropFirst().prefix { $0 != "DATA=END" }
        // One key line and one value line per record; the first key is sequence 1, big-endian.
        #expect(body.count == 2 * 26)
        #expect(body.first == " 0000000000000001")
    }

    @Test func viewsDumpIdenticallyAfterRebuild() throws {
        let test = try TestLedger()
        try test.fill(30, batch: 4)
        _ = try test.ledger.append(try test.request("remove host key", ["host": "espresso", "id": "7"]))
        func dumps() throws -> [String] {
            try (test.ledger.projection.viewNames + [Ledger.noncesName]).map { name in
                let dump = try ProcessRunner.run("mdb_dump", ["-s", name, test.path])
                #expect(dump.status == 0)
                return dump.stdout
            }
        }
        let before = try dumps()
        _ = try test.ledger.rebuild()
        #expect(try dumps() == before)
    }
}
