import Foundation
import Ledger
import LedgerRecords
import Projections
import Signing
import Testing
import TestSupport

/// Decisions hold decided values and folds build every row through its codec, so a change of
/// a row's layout reaches old records by a rebuild alone; a ledger whose decisions are in a
/// format this build does not read is refused, never folded wrongly.
///
/// The ledgers under `fixtures/ledger/` were written by `scripts/make-ledger-fixture.sh`:
/// `format-1` by the build before decisions held values, `format-2` by the build that
/// introduced them (`fixtures/ledger/README.md`).
@Suite struct DecisionFormatTests {
    /// A home holding fixture ledger `name`, with the keys that signed it.
    static func home(_ name: String) throws -> RocksHome {
        let home = RocksHome()
        try FileManager.default.createDirectory(atPath: home.path + "/ledger", withIntermediateDirectories: true)
        let load = try ProcessRunner.run("mdb_load", ["-f", Fixtures.path("ledger/\(name)/ledger.dump"), home.path + "/ledger"])
        #expect(load.status == 0, "\(load.stderr)")
        try FileManager.default.createDirectory(atPath: home.path + "/keys", withIntermediateDirectories: true)
        for key in ["admin.pem", "frontend.pem"] {
            _ = try home.write(try Fixtures.text("ledger/\(name)/keys/\(key)"), "keys/\(key)", mode: 0o600)
        }
        return home
    }

    /// The rows of every view that has a row type, rewritten as an earlier build might have
    /// laid them out: with a member this build does not write.
    static func rewriteRowsInAnOlderLayout(_ home: RocksHome) throws -> Int {
        let views = ["keys", "hosts", "interfaces", "vms", "clusters", "effects", "removals", "power", "observations", "network-deployments"]
        return try home.rewriteRows(of: views) { $0["legacy-field"] = true }
    }

    @Test func aLedgerInTheCurrentFormatFoldsAndVerifies() throws {
        let home = try Self.home("format-2")
        #expect(home.run("ledger", "verify").status == 0)
        let rebuilt = home.run("ledger", "rebuild")
        #expect(rebuilt.status == 0 && rebuilt.stdout == "rebuilt the views from 36 records\n", "\(rebuilt.stderr)")
        #expect(try home.read { reader, txn in try reader.rowsNotInCurrentLayout(in: txn) } == [])
        let hosts = home.run("list", "host").stdout
        for host in ["vm-container-0-0", "frontend-0-0-0", "hosted-vm-0-0-0"] { #expect(hosts.contains(host + ":"), "\(hosts)") }
        // It takes appends as it did when it was written.
        #expect(home.run("add", "host", "membership=VM Container").status == 0)
    }

    /// Rows in a layout this build does not write are found, and a rebuild alone lays every
    /// one of them out anew from the decisions.
    @Test func aRebuildLaysOutEveryRowAsThisBuildWritesIt() throws {
        let home = try Self.home("format-2")
        let rewritten = try Self.rewriteRowsInAnOlderLayout(home)
        // Every version was rewritten; the visible ones (the newest of each key) are found.
        let stale = try home.read { reader, txn in try reader.rowsNotInCurrentLayout(in: txn) }
        #expect(rewritten > 50 && stale.count > 20 && stale.count < rewritten, "\(stale.count) of \(rewritten)")
        for view in ["hosts", "vms", "interfaces", "keys", "clusters"] {
            #expect(stale.contains { $0.hasPrefix(view + " ") }, "\(view): \(stale)")
        }
        #expect(home.run("ledger", "rebuild").status == 0)
        #expect(try home.read { reader, txn in try reader.rowsNotInCurrentLayout(in: txn) } == [])
    }

    /// A ledger written before decisions held values: every command that folds refuses it
    /// with one line naming the record and the format this build reads; reads still work.
    @Test func aLedgerInAnEarlierFormatIsRefusedNotFoldedWrongly() throws {
        let home = try Self.home("format-1")
        let rebuild = home.run("ledger", "rebuild")
        #expect(rebuild.status == 1)
        #expect(rebuild.stderr.split(separator: "\n").count == 1, "\(rebuild.stderr)")
        #expect(rebuild.stderr.hasPrefix("error - record 1 ") && rebuild.stderr.contains("decision format 2"), "\(rebuild.stderr)")
        let append = home.run("add", "host", "membership=VM Container")
        #expect(append.status == 1 && append.stderr.contains("format 1 (record 1)") && append.stderr.split(separator: "\n").count == 1,
                "\(append.stderr)")
        #expect(home.run("ledger", "verify").status == 0)
        #expect(home.run("list", "host").stdout.contains("vm-container-0-0:"))
        // Nothing was appended or changed by the refusals.
        #expect(home.run("ledger", "head").stdout.hasPrefix("36 "))
    }
}

/// A decision field this build cannot read is named by where it lies in the decision, however
/// deep, although readers spell that place only for an error.
@Suite struct FieldReaderTests {
    @Test func aFieldThatCannotBeReadIsNamedByItsPlace() throws {
        let key = try PrivateKey.generate()
        let request = try SignedRequest(signing: RequestEnvelope(op: "add host vm", args: [:], signer: key.publicKey, ledger: .random(), now: .now()),
                                        with: key)
        let decision: JSONValue = ["vms": [["nics": [["vlan": 2]]], ["nics": [["vlan": 2], ["vlan": "two"]]]]]
        let record = Record(sequence: 7, appended: .now(), previousDigest: [UInt8](repeating: 0, count: 32), request: request,
                            decision: CanonicalJSON.encode(decision), decisionJSON: decision)
        let read = { try FieldReader.read(record) { decision in try decision.array("vms") { vm in try vm.array("nics") { try $0.integer("vlan") } } } }
        let error = try #require(throws: DomainError.self) { try read() }
        #expect(error.message == "record 7 holds a 'add host vm' decision this build cannot read (it reads decision format 2): vms[1].nics[1].vlan is not an integer")
    }
}
