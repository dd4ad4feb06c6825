import Foundation
import Ledger
import Projections
import Signing
import Testing
import TestSupport

/// Random command histories over every command kind, removals and outcomes included, with
/// refusals mixed in. After each history: live views == a rebuild (byte for byte) == the fold
/// of every prefix, at= agrees with those folds, no live MAC, IP, name or VLAN is shared, and
/// no VM MAC is ever handed out twice.
@Suite(.tags(.slow), .notInFastRuns) struct RandomHistoryTests {
    /// At least 1,000 histories in 10 shards that run on every core; `ROCKS_HISTORIES` raises
    /// the count for a longer soak, and `ROCKS_HISTORY_SEED` replays the one history a failure
    /// names.
    static let shards = 10
    static let historiesPerShard = max(1_000, Int(ProcessInfo.processInfo.environment["ROCKS_HISTORIES"] ?? "") ?? 0) / shards
    static let replayedSeed = ProcessInfo.processInfo.environment["ROCKS_HISTORY_SEED"].flatMap { UInt64($0) }

    @Test(arguments: 0..<RandomHistoryTests.shards)
    func viewsAreAPureFunctionOfTheLog(shard: Int) throws {
        if let seed = Self.replayedSeed {
            if shard == 0 { try History(seed: seed, checkEveryPrefixWithAt: true).run() }
            return
        }
        var master = SystemRandomNumberGenerator()
        let firstSeed = UInt64.random(in: 0..<UInt64.max, using: &master)
        for index in 0..<Self.historiesPerShard {
            let seed = firstSeed &+ UInt64(index)
            do {
                // at= is compared at every prefix in the first history of each shard, at three elsewhere.
                try History(seed: seed, checkEveryPrefixWithAt: index == 0).run()
            } catch {
                Issue.record("history with seed \(seed) failed (replay it with ROCKS_HISTORY_SEED=\(seed)): \(error)")
                return
            }
        }
    }
}

/// One random history on a fresh ledger.
private struct History {
    let seed: UInt64
    let checkEveryPrefixWithAt: Bool

    func run() throws {
        var random = SeededGenerator(state: seed)
        var options = LMDBEnvironment.Options()
        // Test-only: these ledgers are thrown away, so durability buys nothing here.
        options.unsafeNoSyncForTests = true
        options.mapSize = 32 << 20
        let directory = TemporaryDirectory("history")
        let admin = try PrivateKey.generate(), frontend = try PrivateKey.generate()
        let genesisArgs = ["name": "espresso.rocksclusters.org", "public-ip": "137.110.119.117", "private-netmask": "255.255.255.0",
                           Genesis.adminKeyArgument: admin.publicKey.pem, Genesis.frontendKeyArgument: frontend.publicKey.pem]
        let genesis = try SignedRequest(signing: RequestEnvelope(op: Genesis.op, args: genesisArgs, signer: admin.publicKey,
                                                                 ledger: .random(), now: .now()), with: admin)
        let ledger = try Ledger.create(directory: directory.file("ledger"), genesis: genesis, frontendKey: frontend,
                                       projection: DomainProjection(), options: options)
        let reader = DomainReader(environment: ledger.environment)
        // After each record: the stored rows (which a fold of that prefix must reproduce) and
        // the visible ones (which at= must show later).
        var snapshots: [UInt64: (stored: [UInt8], visible: [UInt8])] = [:]
        snapshots[1] = try ledger.read { txn in (try Self.views(ledger, in: txn), try Self.visibleViews(reader, in: txn)) }
        var firstOwner: [String: String] = [:]
        let length = Int.random(in: 20...200, using: &random)
        var generator = CommandGenerator()
        for step in 0..<length {
            let (op, args, byFrontend) = try ledger.read { txn in try generator.next(&random, reader: reader, in: txn) }
            let signer = byFrontend ? frontend : admin
            let request = try SignedRequest(signing: RequestEnvelope(op: op, args: args, signer: signer.publicKey, ledger: ledger.id, now: .now()),
                                            with: signer)
            do {
                let appended = try ledger.append(request)
                snapshots[appended.sequence] = try ledger.read { txn in
                    (stored: try Self.views(ledger, in: txn), visible: try Self.visibleViews(reader, in: txn))
                }
            } catch is DomainError {
                // A refusal appends nothing; the history goes on.
            }
            // Every fourth state and the last, to keep 1,000 histories within a CI run.
            if step % 4 == 0 || step == length - 1 {
                try ledger.read { txn in try Self.checkUniqueness(reader: reader, firstOwner: &firstOwner, in: txn) }
            }
        }

        let live = try Self.views(ledger)
        let head = try ledger.head().sequence
        guard snapshots[head]?.stored == live else { throw TestFailure("the last snapshot differs from the live views") }
        // Every prefix, by one incremental fold in a transaction that is thrown away.
        try Self.foldEveryPrefix(ledger) { sequence, views in
            guard snapshots[sequence]?.stored == views else { throw TestFailure("the fold up to \(sequence) differs from the views then") }
        }
        // at= shows the same views: at every prefix for some histories, at three for the rest.
        let positions = checkEveryPrefixWithAt ? Array(1...head) : (0..<3).map { _ in UInt64.random(in: 1...head, using: &random) }
        for position in positions {
            let then = DomainReader(environment: ledger.environment, asOf: position)
            let seen = try ledger.read { txn in try Self.visibleViews(then, in: txn) }
            guard seen == snapshots[position]?.visible else { throw TestFailure("at=\(position) differs from the views then") }
        }
        _ = try ledger.rebuild()
        guard try Self.views(ledger) == live else { throw TestFailure("a rebuild gave different views") }
        // Every row is what its codec writes for it: no fold wrote a row any other way.
        let stale = try ledger.read { txn in try reader.rowsNotInCurrentLayout(in: txn) }
        guard stale.isEmpty else { throw TestFailure("rows not in their codec's layout: \(stale.prefix(3))") }
        _ = try ledger.verify()
    }

    static func views(_ ledger: Ledger) throws -> [UInt8] {
        try ledger.read { txn in try views(ledger, in: txn) }
    }

    /// A SHA-256 over every view database's name, keys and values, length-prefixed: equal
    /// digests mean byte-identical views.
    static func views(_ ledger: Ledger, in txn: borrowing Transaction) throws -> [UInt8] {
        var bytes: [UInt8] = []
        func append(_ part: UnsafeRawBufferPointer) {
            withUnsafeBytes(of: UInt32(part.count).bigEndian) { bytes += $0 }
            bytes += part
        }
        for name in ledger.projection.viewNames {
            Array(name.utf8).withUnsafeBytes(append)
            try txn.forEach(in: ledger.environment.database(name)) { key, value in
                append(key)
                append(value)
                return true
            }
        }
        return SHA256.hash(bytes)
    }

    /// A SHA-256 over every view's visible rows, as a reader positioned anywhere in history
    /// sees them: what the live views showed then must be what `at=` shows now.
    static func visibleViews(_ reader: DomainReader, in txn: borrowing Transaction) throws -> [UInt8] {
        var bytes: [UInt8] = []
        func append(_ part: [UInt8]) {
            withUnsafeBytes(of: UInt32(part.count).bigEndian) { bytes += $0 }
            bytes += part
        }
        for view in View.allCases {
            append(Array(view.rawValue.utf8))
            for row in try reader.rows(of: view, in: txn) {
                append(row.key)
                append(row.value)
            }
        }
        return SHA256.hash(bytes)
    }

    /// Folds the log record by record into emptied views, calling `check` after each.
    static func foldEveryPrefix(_ ledger: Ledger, _ check: (UInt64, [UInt8]) throws -> Void) throws {
        let environment = ledger.environment
        let txn = try environment.beginTransaction(readOnly: false)
        for name in ledger.projection.viewNames { try txn.empty(environment.database(name)) }
        var records: [Record] = []
        try ledger.forEachRecord { records.append($0); return true }
        for record in records {
            try ledger.projection.prepareAndFold(record, in: txn, environment: environment)
            try check(record.sequence, try views(ledger, in: txn))
        }
        txn.abort()
    }

    /// No two live interfaces share a MAC or IP, no two clusters a VLAN, and no VM-range MAC
    /// ever moves to another interface (MACs are never reused).
    static func checkUniqueness(reader: DomainReader, firstOwner: inout [String: String], in txn: borrowing Transaction) throws {
        let hosts = try reader.hosts([], in: txn)
        guard Set(hosts.map(\.name)).count == hosts.count else { throw TestFailure("duplicate host names") }
        var macs: Set<String> = [], ips: Set<String> = [], vlans: Set<Int64> = []
        let range = try reader.settings(in: txn).vmMACRange
        for host in hosts {
            for interface in try reader.interfaces(of: host.name, in: txn) {
                if let mac = interface.mac {
                    guard macs.insert(mac.description).inserted else { throw TestFailure("MAC \(mac) is live twice") }
                    if range.contains(mac.value) {
                        let owner = firstOwner[mac.description, default: "\(host.name)/\(interface.device)"]
                        guard owner == "\(host.name)/\(interface.device)" else { throw TestFailure("MAC \(mac) was reused") }
                        firstOwner[mac.description] = owner
                    }
                }
                if let ip = interface.ip, !ips.insert(ip.description).inserted { throw TestFailure("IP \(ip) is live twice") }
            }
            if let cluster = try reader.cluster(host.name, in: txn), host.removal == nil,
               !vlans.insert(cluster.vlan).inserted { throw TestFailure("VLAN \(cluster.vlan) is live twice") }
        }
    }
}

/// Picks the next command from what exists, sometimes deliberately wrong.
private struct CommandGenerator {
    var ipCounter = 10

    mutating func next(_ random: inout SeededGenerator, reader: DomainReader, in txn: borrowing Transaction) throws
        -> (String, [String: String], Bool)
    {
        let hosts = try reader.hosts([], in: txn)
        let containers = hosts.filter { $0.membership == "VM Container" }.map(\.name)
        let vms = hosts.filter(\.isVM).map(\.name)
        let frontends = hosts.filter { $0.isVM && $0.appliance == "frontend" }.map(\.name)
        func pick(_ names: [String]) -> String { names.randomElement(using: &random) ?? "nosuchhost" }
        ipCounter += 1
        switch Int.random(in: 0..<26, using: &random) {
        case 0, 1:
            var args = ["membership": "VM Container"]
            if Bool.random(using: &random) { args["mac"] = String(format: "00:16:3e:00:%02x:%02x", ipCounter / 256 % 256, ipCounter % 256) }
            return ("add host", args, false)
        case 2, 3:
            return ("add cluster", ["ip": "137.110.119.\(ipCounter % 250 + 1)", "num-computes": String(Int.random(in: 0...3, using: &random)),
                                    "container-hosts": (0..<2).map { _ in pick(containers) }.joined(separator: " ")], false)
        case 4, 5:
            let membership = ["Compute", "Hosted VM", "compute"].randomElement(using: &random)!
            return ("add host vm", ["hosts": pick(containers), "membership": membership, "num-macs": String(Int.random(in: 1...2, using: &random))], false)
        case 6:
            return ("add host interface", ["host": pick(containers), "iface": "eth\(Int.random(in: 1...3, using: &random))",
                                           "vlan": String(Int.random(in: 0...6, using: &random))], false)
        case 7:
            return ("set host vm", ["hosts": pick(vms), "mem": String(512 * Int.random(in: 1...8, using: &random))], false)
        case 8:
            return ("set host vm", ["hosts": pick(vms), "physnode": pick(containers)], false)
        case 9:
            return ("set host cpus", ["hosts": pick(hosts.map(\.name)), "cpus": String(Int.random(in: 0...8, using: &random))], false)
        case 10:
            return ("set host boot", ["hosts": pick(vms), "action": ["install", "os", "reboot"].randomElement(using: &random)!], false)
        case 11:
            let remove = Bool.random(using: &random)
            return (remove ? "remove host attr" : "set host attr", ["hosts": pick(containers), "attr": "vm_disk_pool", "value": "pool\(ipCounter % 3)"], false)
        case 12:
            return ("set host interface module", ["host": pick(containers), "iface": "eth0", "module": "e1000e"], false)
        case 13:
            return ("add host key", ["host": pick(frontends), "key": try PrivateKey.generate().publicKey.pem], false)
        case 14:
            return ("remove host vm", ["hosts": pick(vms), "delete-disks": Bool.random(using: &random) ? "yes" : "no"], false)
        case 15:
            return ("remove cluster", ["hosts": pick(frontends), "delete-disks": "no"], false)
        case 16:
            return ("remove host", ["hosts": pick(containers + vms)], false)
        case 17:
            return ("remove host interface", ["host": pick(containers), "iface": "eth\(Int.random(in: 1...3, using: &random))"], false)
        case 20:
            return ("remove host key", ["host": pick(frontends), "id": String(Int.random(in: 1...4, using: &random))], false)
        case 21:
            let field = ["ip", "vlan", "name", "subnet", "mac"].randomElement(using: &random)!
            let values = ["ip": "10.1.1.\(ipCounter % 250 + 2)", "vlan": String(Int.random(in: 0...6, using: &random)), "name": "n\(ipCounter)",
                          "subnet": ["private", "public", "none"].randomElement(using: &random)!,
                          "mac": String(format: "00:16:3e:01:%02x:%02x", ipCounter / 256 % 256, ipCounter % 256)]
            return ("set host interface " + field, ["host": pick(containers), "iface": "eth0", field: values[field]!], false)
        case 22:
            let field = Bool.random(using: &random) ? "runaction" : "installaction"
            return ("set host " + field, ["hosts": pick(hosts.map(\.name)), "action": ["os", "install", "install headless"].randomElement(using: &random)!], false)
        case 23:
            let mark = ["next-host-key-number", "private-ip-frontier", "last-mac"].randomElement(using: &random)!
            let value = ["next-host-key-number": String(Int.random(in: 1...20, using: &random)), "private-ip-frontier": "10.1.1.\(Int.random(in: 2...254, using: &random))",
                         "last-mac": "76:77:6e:40:00:\(String(format: "%02x", Int.random(in: 0...255, using: &random)))"][mark]!
            return ("set allocation", ["mark": mark, "value": value], false)
        default:
            let pending = try reader.effects(in: txn).filter { $0.status == .pending }
            guard let effect = pending.randomElement(using: &random) else { return ("set host cpus", ["hosts": "nosuchhost", "cpus": "1"], false) }
            let status = Int.random(in: 0..<10, using: &random) < 8 ? "succeeded" : ["attempt", "failed"].randomElement(using: &random)!
            return ("record outcome", ["effect": effect.id.description, "status": status], true)
        }
    }
}
