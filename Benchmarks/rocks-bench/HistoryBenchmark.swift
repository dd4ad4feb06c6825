import CLMDB
import Foundation
import Ledger
import Projections
import Signing

/// `rocks ledger rebuild` and `at=` over a long ledger of realistic operator traffic (VM
/// containers, clusters, VMs, memory and attribute changes, owner keys, power requests),
/// beside a raw liblmdb program that scans the same records and writes as many view rows in
/// batched commits.
enum HistoryBenchmark {
    static func run() throws {
        let batch = Int(settings["batch"]!)!
        let ledger: Ledger
        let directory: String
        if let existing = settings["ledger"] {
            // A ledger kept by an earlier run (`keep=yes`): measure it again without the long build.
            directory = existing
            ledger = try Ledger(directory: existing + "/ledger", projection: DomainProjection())
            print("rocks-bench history: the ledger kept at \(existing), \(try ledger.head().sequence) records")
        } else {
            directory = scratch("history")
            ledger = try build(records: Int(settings["records"] ?? "1000000")!, batch: batch, directory: directory)
        }
        defer {
            if settings["keep"] == "yes" || settings["ledger"] != nil { print("kept \(directory)") }
            else { try? FileManager.default.removeItem(atPath: directory) }
        }
        let produced = Int(try ledger.head().sequence)

        // `only=rebuild` or `only=at` measures one part of a kept ledger again.
        if settings["only"] != "at" { try measureRebuild(ledger, directory: directory) }
        if settings["only"] != "rebuild" { try measureTimeTravel(ledger, records: produced) }
    }

    static func measureRebuild(_ ledger: Ledger, directory: String) throws {
        var rebuilt: UInt64 = 0
        let rebuildTime = try seconds { rebuilt = try ledger.rebuild() }
        let rows = try ledger.read { txn in
            try ledger.projection.viewNames.reduce(0) { $0 + (try txn.count(ledger.environment.database($1))) }
        }
        let floorTime = try rawFloor(ledger: ledger, rows: rows, directory: directory)
        print("ledger rebuild: \(rebuilt) records, \(rows) view rows in \(String(format: "%.2f", rebuildTime)) s (\(rate(Int(rebuilt), rebuildTime)); aim under 10 s)")
        print("raw liblmdb scan + \(rows) rows in batched commits: \(String(format: "%.2f", floorTime)) s (\(rate(Int(rebuilt), floorTime)))  ratio \(String(format: "%.2f", floorTime / rebuildTime)) (aim >= 0.50)")
    }

    static func measureTimeTravel(_ ledger: Ledger, records produced: Int) throws {
        // The middle is the issue's measure; near the start and near the head show that the
        // depth of history does not matter, only how much there was to show then.
        for position in [UInt64(produced / 2), UInt64(produced / 10), UInt64(produced * 9 / 10)] {
            var hosts = 0
            let atTime = try seconds {
                hosts = try ledger.read { txn in
                    try DomainReader(environment: ledger.environment, asOf: position).hosts([], in: txn).count
                }
            }
            print("at=\(position): \(String(format: "%.2f", atTime)) s to show \(hosts) hosts as they were (aim under 2 s)")
        }
    }

    /// Appends `target` records of the mix below, `batch` per commit.
    static func build(records target: Int, batch: Int, directory: String) throws -> Ledger {
        let admin = try PrivateKey.generate(), frontend = try PrivateKey.generate()
        let genesisArgs = ["name": "bench.example.org", "public-ip": "137.0.0.1", "public-netmask": "255.0.0.0",
                           "private-ip": "10.0.0.1", "private-netmask": "255.0.0.0",
                           Genesis.adminKeyArgument: admin.publicKey.pem, Genesis.frontendKeyArgument: frontend.publicKey.pem]
        let genesis = try SignedRequest(signing: RequestEnvelope(op: Genesis.op, args: genesisArgs, signer: admin.publicKey,
                                                                 ledger: .random(), now: .now()), with: admin)
        let ledger = try Ledger.create(directory: directory + "/ledger", genesis: genesis, frontendKey: frontend, projection: DomainProjection())
        print("rocks-bench history: \(target) records, \(batch) per commit, seed \(settings["seed"] ?? "1"), directory \(settings["dir"]!)")

        var random = SeededRandom(state: UInt64(settings["seed"] ?? "1")!)
        var containers: [String] = [], vms: [String] = []
        var clusters = 0
        var produced = 1
        let buildTime = try seconds {
            // Containers first, so every later batch has somewhere to put VMs.
            let seed = try (0..<20).map { _ in
                try SignedRequest(signing: RequestEnvelope(op: "add host", args: ["membership": "VM Container"], signer: admin.publicKey,
                                                           ledger: ledger.id, now: .now()), with: admin)
            }
            for appended in try ledger.append(batch: seed) { containers.append(appended.decision["name"]?.stringValue ?? "") }
            produced += seed.count
            while produced < target {
                var requests: [SignedRequest] = []
                for index in produced..<min(produced + batch, target) {
                    let (op, args) = try nextRequest(index, containers: containers, vms: vms, clusters: &clusters, random: &random)
                    let envelope = RequestEnvelope(op: op, args: args, signer: admin.publicKey, ledger: ledger.id, now: .now(), lifetime: 600)
                    requests.append(try SignedRequest(signing: envelope, with: admin))
                }
                for appended in try ledger.append(batch: requests) {
                    if appended.decision["membership"] != nil, let host = appended.decision["name"]?.stringValue { containers.append(host) }
                    for vm in appended.decision["vms"]?.arrayValue ?? [] { vms.append(vm["name"]?.stringValue ?? "") }
                }
                produced += requests.count
            }
        }
        print("built \(produced) records in \(String(format: "%.1f", buildTime)) s (\(rate(produced, buildTime))): \(containers.count) containers, \(clusters) clusters, \(vms.count) VMs")

        return ledger
    }

    /// A mix close to an operator's: mostly VMs and changes to them, power requests, a few
    /// clusters and containers.
    static func nextRequest(_ index: Int, containers: [String], vms: [String], clusters: inout Int,
                            random: inout SeededRandom) throws -> (String, [String: String])
    {
        if index % 100 == 0 { return ("add host", ["membership": "VM Container"]) }
        let roll = Int.random(in: 0..<100, using: &random)
        if roll < 2, clusters < 4000 {
            clusters += 1
            return ("add cluster", ["ip": "137.\(clusters / 62500 % 250).\(clusters / 250 % 250).\(clusters % 250 + 2)", "num-computes": "2",
                                    "container-hosts": containers.randomElement(using: &random)!])
        }
        if roll < 40 || vms.isEmpty { return ("add host vm", ["hosts": containers.randomElement(using: &random)!, "membership": "Compute"]) }
        let vm = vms.randomElement(using: &random)!
        switch roll {
        case ..<65: return ("set host vm", ["hosts": vm, "mem": String(512 * Int.random(in: 1...16, using: &random))])
        case ..<80: return ("set host attr", ["hosts": containers.randomElement(using: &random)!, "attr": "note\(roll)", "value": "v\(index)"])
        case ..<88: return ("add host key", ["host": vm, "key": try PrivateKey.generate().publicKey.pem])
        case ..<94: return ("start host vm", ["hosts": vm])
        case ..<97: return ("stop host vm", ["hosts": vm])
        default: return ("set host cpus", ["hosts": vm, "cpus": String(Int.random(in: 1...8, using: &random))])
        }
    }

    /// The floor: every stored record read by a cursor, and `rows` rows of view-like size
    /// written in commits of 10,000, with liblmdb directly.
    static func rawFloor(ledger: Ledger, rows: Int, directory: String) throws -> Double {
        var values: [[UInt8]] = []
        try ledger.forEachRecord { values.append($0.bytes); return true }
        let rawDirectory = scratch("history-raw")
        defer { try? FileManager.default.removeItem(atPath: rawDirectory) }
        let raw = RawLMDB(directory: rawDirectory)
        raw.append(values, first: 1, perCommit: 10_000)
        let row = [UInt8](repeating: 0x61, count: 160)
        return seconds {
            let scanned = raw.scan()
            let env = raw.env
            var txn: OpaquePointer?
            var dbi: MDB_dbi = 0
            check(mdb_txn_begin(env, nil, 0, &txn))
            check(mdb_dbi_open(txn, "views", UInt32(MDB_CREATE), &dbi))
            for index in 0..<rows {
                var key = Array("row-\(index)".utf8)
                key.withUnsafeMutableBytes { keyBytes in
                    var k = MDB_val(mv_size: keyBytes.count, mv_data: keyBytes.baseAddress)
                    row.withUnsafeBytes { valueBytes in
                        var v = MDB_val(mv_size: valueBytes.count, mv_data: UnsafeMutableRawPointer(mutating: valueBytes.baseAddress))
                        check(mdb_put(txn, dbi, &k, &v, 0))
                    }
                }
                if index % 10_000 == 9_999 {
                    check(mdb_txn_commit(txn))
                    check(mdb_txn_begin(env, nil, 0, &txn))
                }
            }
            check(mdb_txn_commit(txn))
            precondition(scanned > 0)
        }
    }
}
