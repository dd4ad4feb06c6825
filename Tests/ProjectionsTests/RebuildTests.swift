import CLI
import Foundation
import Ledger
import Projections
import Signing
import Testing
import TestSupport

/// Views are a pure function of the log: a rebuild gives byte-identical databases, and folds
/// never decide.
@Suite struct RebuildTests {
    /// A history touching every command kind so far.
    static func busyHome() throws -> RocksHome {
        let home = try SeedWalkthroughTests.seededHome()
        let steps: [[String]] = [
            ["add", "cluster", "137.110.119.118", "2"],
            ["add", "host", "vm", "vm-container-0-0", "compute", "num-macs=2", "vlan=none,9"],
            ["add", "host", "interface", "vm-container-0-1", "eth1", "subnet=public", "ip=137.110.119.200", "module=e1000e"],
            ["add", "cluster", "137.110.119.119", "3", "cpus-per-compute=2", "mem-per-compute=2048", "container-hosts=vm-container-0-1"],
            ["add", "host", "key", "frontend-0-0-0", "key=\(Fixtures.path("envelope/test-signer.pub"))"],
            ["add", "host", "membership=Compute", "rack=1"],
        ]
        for step in steps {
            let result = home.run(step)
            #expect(result.status == 0, "\(step): \(result.stderr)")
        }
        return home
    }

    private func dumps(_ home: RocksHome) throws -> [String: String] {
        var dumps: [String: String] = [:]
        for name in DomainProjection().viewNames + [Ledger.noncesName] {
            let dump = try ProcessRunner.run("mdb_dump", ["-s", name, home.path + "/ledger"])
            #expect(dump.status == 0, "\(dump.stderr)")
            dumps[name] = dump.stdout
        }
        return dumps
    }

    @Test func rebuildGivesByteIdenticalViewDumps() throws {
        let home = try Self.busyHome()
        let before = try dumps(home)
        #expect(home.run("list", "host", "vm", "hosted-vm-0-1-3").stdout.contains("vm-container-0-1"))
        #expect(home.run("ledger", "rebuild").status == 0)
        #expect(try dumps(home) == before)
    }

    /// `add host vm cluster=` puts the VM among its cluster's computes, in the cluster row the
    /// append folded and in the one a rebuild folds (a prepared fold of its own).
    @Test func aVMAddedIntoAClusterJoinsItsComputesAndARebuildKeepsIt() throws {
        let home = try RocksHome.initialised()
        for step in [["add", "host", "membership=VM Container"], ["add", "cluster", "137.110.119.118", "1"],
                     ["add", "host", "vm", "vm-container-0-0", "membership=Hosted VM", "cluster=frontend-0-0-0"]]
        {
            let result = home.run(step)
            #expect(result.status == 0, "\(step): \(result.stderr)")
        }
        func computes() throws -> [String]? {
            let ledger = try home.ledger()
            return try ledger.read { txn in try DomainReader(environment: ledger.environment).cluster("frontend-0-0-0", in: txn)?.computes }
        }
        #expect(try computes() == ["hosted-vm-0-0-0", "hosted-vm-0-0-1"])
        #expect(home.run("ledger", "rebuild").status == 0)
        #expect(try computes() == ["hosted-vm-0-0-0", "hosted-vm-0-0-1"])
    }

    /// `add host key`'s `keys` row is canonical JSON and holds the key given.
    @Test func aHostKeyRowIsCanonicalAndHoldsTheKey() throws {
        let home = try Self.busyHome()
        let given = try PublicKey(pem: String(contentsOfFile: Fixtures.path("envelope/test-signer.pub"), encoding: .utf8))
        let ledger = try home.ledger()
        try ledger.read { txn in
            let reader = DomainReader(environment: ledger.environment)
            let keys = try reader.hostKeys(["frontend-0-0-0"], in: txn).map(\.key)
            #expect(keys.map(\.id) == [given.id])
            #expect(keys.map(\.pem) == [given.pem])
            #expect(keys.map(\.role) == [.host])
            #expect(keys.map(\.number) == [1])
            let row = try #require(try reader.rows(of: .keys, in: txn).first { $0.key == Array(given.id.hex.utf8) }).value
            #expect(throws: Never.self) { try CanonicalJSON.decode(row) }
        }
    }

    /// `set host cpus` leaves the host's row canonical with the new count and nothing else
    /// changed; setting the count it already has writes no new version.
    @Test func settingTheCPUCountChangesOnlyThatAndNoChangeWritesNoVersion() throws {
        let home = try RocksHome.initialised()
        #expect(home.run("add", "host", "membership=VM Container").status == 0)
        let ledger = try home.ledger()
        func versions() throws -> [[UInt8]] {
            try ledger.read { txn in
                try DomainReader(environment: ledger.environment).rows(of: .hosts, in: txn).filter { $0.key == Array("vm-container-0-0".utf8) }.map(\.value)
            }
        }
        // Every version stored, of every host: only this one's can change.
        func storedVersions() throws -> Int { try ledger.read { txn in try txn.count(ledger.environment.database("hosts")) } }
        let before = try #require(try versions().first)
        let written = try storedVersions()
        for cpus in ["12", "3", "3"] { #expect(home.run("set", "host", "cpus", "vm-container-0-0", cpus).status == 0) }
        let after = try #require(try versions().first)
        #expect(throws: Never.self) { try CanonicalJSON.decode(after) }
        var expected = try #require(try CanonicalJSON.decode(before).objectValue)
        expected["cpus"] = .integer(3)
        #expect(try CanonicalJSON.decode(after) == .object(expected))
        // 12, then 3; the second 3 changed nothing.
        #expect(try storedVersions() == written + 2)
    }

    @Test func foldsNeverCallADecider() throws {
        let home = try Self.busyHome()
        let before = try dumps(home)
        // Every decider of this projection traps: the rebuild only passes if folds read the
        // decisions stored in the records.
        let ledger = try Ledger(directory: home.path + "/ledger", projection: FoldOnlyProjection())
        #expect(try ledger.rebuild() == 9)
        #expect(try dumps(home) == before)
    }
}

/// The domain projection with a decider that traps: it can fold the log, never decide, which
/// is how a test proves that folding never allocates.
private struct FoldOnlyProjection: LedgerProjection {
    let domain = DomainProjection()

    var viewNames: [String] { domain.viewNames }

    func keyInForce(_ id: KeyID, in txn: borrowing Transaction, environment: LMDBEnvironment) throws -> PublicKey? {
        try domain.keyInForce(id, in: txn, environment: environment)
    }

    func decide(_ request: SignedRequest, context: AppendContext, in txn: borrowing Transaction, environment: LMDBEnvironment) throws -> JSONValue {
        fatalError("'\(request.envelope.op)' was decided while folding: folds must read decisions, never take them")
    }

    func prepare(_ record: Record) throws -> DomainProjection.Prepared { try domain.prepare(record) }

    func fold(_ prepared: DomainProjection.Prepared, record: Record, in txn: borrowing Transaction, environment: LMDBEnvironment) throws {
        try domain.fold(prepared, record: record, in: txn, environment: environment)
    }

    func keysIntroduced(by record: Record) -> [PublicKey] { domain.keysIntroduced(by: record) }

    func keysRevoked(by record: Record) -> [KeyID] { domain.keysRevoked(by: record) }
}
