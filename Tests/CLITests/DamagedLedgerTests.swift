import Foundation
import Ledger
import Testing
import TestSupport

/// A ledger that is there but damaged is said to be damaged, with what to do about it, by
/// every command, `init` included; no command suggests discarding the keys.
@Suite struct DamagedLedgerTests {
    private let advice = "restore its data.mdb from a backup, keeping keys/, or replay the last 'rocks dump' into a new ROCKS_HOME"

    private func expectDamaged(_ home: RocksHome, _ reason: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let data = home.path + "/ledger/data.mdb"
        let before = try Data(contentsOf: URL(fileURLWithPath: data))
        for arguments in [["list", "host"], ["ledger", "verify"], ["add", "host", "membership=VM Container"],
                          ["init", "name=espresso.rocksclusters.org", "public-ip=137.110.119.117"]] {
            let result = home.run(arguments)
            expectOneErrorLine(result, "the ledger at \(home.path)/ledger is damaged (\(reason)): \(advice)", sourceLocation: sourceLocation)
            #expect(!result.stderr.contains("move"), "\(arguments): \(result.stderr)", sourceLocation: sourceLocation)
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: data)) == before, "data.mdb changed", sourceLocation: sourceLocation)
    }

    @Test func anEmptyDataFileIsDamageNotAMissingLedger() throws {
        let home = try RocksHome.initialised()
        #expect(truncate(home.path + "/ledger/data.mdb", 0) == 0)
        try expectDamaged(home, "data.mdb is empty")
    }

    @Test func aZeroedDataFileIsDamage() throws {
        let home = try RocksHome.initialised()
        try Data(count: 1 << 20).write(to: URL(fileURLWithPath: home.path + "/ledger/data.mdb"))
        try expectDamaged(home, "data.mdb: MDB_INVALID: File is not an LMDB file")
    }

    /// Keys without a ledger are a ledger lost: `init` refuses to start over beside them, and
    /// says to restore, not to move the keys away.
    @Test func keysWithoutALedgerAreALostLedger() throws {
        let home = try RocksHome.initialised()
        try FileManager.default.removeItem(atPath: home.path + "/ledger/data.mdb")
        let result = home.run("init", "name=espresso.rocksclusters.org", "public-ip=137.110.119.117")
        expectOneErrorLine(result, "admin.pem belongs to a ledger that is missing from \(home.path)/ledger: restore its data.mdb from a backup")
        #expect(!result.stderr.contains("move"))
        expectOneErrorLine(home.run("list", "host"), "no ledger at \(home.path)/ledger")
    }

    /// A head no checkpoint covers (its checkpoint cut away) is still listed, with a warning.
    @Test func aListWarnsWhenTheHeadIsNotWhatTheNewestCheckpointCovers() throws {
        let home = try RocksHome.seeded()
        let listed = home.run("list", "host")
        #expect(listed.status == 0 && listed.stderr.isEmpty, "\(listed.stderr)")
        do {
            let environment = try LMDBEnvironment(directory: home.path + "/ledger", databaseNames: [Ledger.checkpointsName])
            _ = try environment.write { txn in try txn.delete(environment.database(Ledger.checkpointsName), Array("00000000000000000003".utf8)) }
        }
        let warned = home.run("list", "host")
        #expect(warned.status == 0)
        #expect(warned.stdout == listed.stdout)
        #expect(warned.stderr == "warning - record 3, the head of the log, is not covered by the newest checkpoint (record 2): run 'rocks ledger verify'\n")
        #expect(home.run("ledger", "verify").stderr.contains("record 3: no checkpoint covers the head of the log"))
    }
}
