import Foundation
import Signing
import Testing
import TestSupport

/// `rocks ledger log` and `rocks ledger show` as an auditor reads them, on a ledger holding an
/// owner's request, another owner's denied one, a failed effect and a revoked key.
@Suite struct LedgerLogTests {
    /// The history, and the record each step appended.
    struct History {
        let home: RocksHome
        let computes: [String]
        let owner: KeyID
        let addCluster: Int, addKey: Int, addStrangerKey: Int, adminStart: Int, failedOutcome: Int, ownerPower: Int, strangerPower: Int
        let revoke: Int
        var last: Int { revoke }
    }

    static func history() throws -> History {
        let home = try RocksHome.seeded()
        func head() -> Int { Int(home.head.split(separator: " ")[0])! }
        func run(_ arguments: String...) throws -> Int {
            let result = home.run(arguments)
            guard result.status == 0 else { throw TestFailure("rocks \(arguments.joined(separator: " ")): \(result.stderr)") }
            return head()
        }
        let addCluster = try run("add", "cluster", "ip=137.110.119.118", "num-computes=2")
        let computes = try #require(try home.read { reader, txn in try reader.cluster("frontend-0-0-0", in: txn)?.computes })
        // The cluster's owner, and the owner of the other compute only.
        let ownerPEM = home.run("create", "keys", "key=\(home.directory.file("owner.pem"))", "passphrase=no").stdout
        let addKey = try run("add", "host", "key", "frontend-0-0-0", "key=\(try home.write(ownerPEM, "owner.pub"))")
        let strangerPEM = home.run("create", "keys", "key=\(home.directory.file("stranger.pem"))", "passphrase=no").stdout
        let addStrangerKey = try run("add", "host", "key", computes[1], "key=\(try home.write(strangerPEM, "stranger.pub"))")
        // The admin starts the other compute; the executor reports that it failed.
        let adminStart = try run("start", "host", "vm", computes[1], "async=yes")
        try home.recordPendingEffects(status: "failed", message: "no such container")
        let failedOutcome = head()
        // Each owner's request, as the Airboss appends it: the stranger's reaches beyond its VM.
        let ownerPower = Int(try home.append("set host power", ["hosts": computes[0], "action": "on"], signedWith: home.directory.file("owner.pem")).sequence)
        let strangerPower = Int(try home.append("set host power", ["hosts": computes[0], "action": "off"],
                                                signedWith: home.directory.file("stranger.pem")).sequence)
        let revoke = try run("remove", "host", "key", "frontend-0-0-0", "id=1")
        return History(home: home, computes: computes, owner: try PublicKey(pem: ownerPEM).id, addCluster: addCluster, addKey: addKey,
                       addStrangerKey: addStrangerKey, adminStart: adminStart, failedOutcome: failedOutcome, ownerPower: ownerPower,
                       strangerPower: strangerPower, revoke: revoke)
    }

    /// The records `ledger log <filters>` lists, by sequence: from its JSON, and the same from
    /// its text lines.
    static func listed(_ home: RocksHome, _ filters: String...) throws -> [Int] {
        let json = home.run(["ledger", "log", "output-format=json"] + filters)
        #expect(json.status == 0, "\(json.stderr)")
        let rows = try #require(try CanonicalJSON.decode(Array(json.stdout.dropLast().utf8)).arrayValue)
        let sequences = rows.compactMap { $0["seq"]?.integerValue.map(Int.init) }
        let text = home.run(["ledger", "log"] + filters)
        #expect(text.stdout.split(separator: "\n").compactMap { Int($0.split(separator: " ")[0]) } == sequences)
        return sequences
    }

    @Test func filtersReturnExactlyTheMatchingRecords() throws {
        let history = try Self.history()
        let home = history.home
        let all = Array(1...history.last)
        #expect(try Self.listed(home) == all)
        #expect(try Self.listed(home, "op=set host power") == [history.ownerPower, history.strangerPower])
        #expect(try Self.listed(home, "denied=yes") == [history.strangerPower])
        #expect(try Self.listed(home, "denied=no") == all.filter { $0 != history.strangerPower })
        #expect(try Self.listed(home, "key=host:\(history.computes[1])") == [history.strangerPower])
        // The owner's key, revoked since, is still named as the cluster's, by id, prefix or owner.
        for key in [history.owner.hex, String(history.owner.hex.prefix(8)), "cluster:frontend-0-0-0"] {
            #expect(try Self.listed(home, "key=\(key)") == [history.ownerPower], "key=\(key)")
        }
        #expect(try Self.listed(home, "key=frontend") == [history.failedOutcome])
        // Records naming the first compute: the cluster that made it, the owner's and the
        // stranger's requests. Not the other compute's start, nor its outcome.
        #expect(try Self.listed(home, "host=\(history.computes[0])") == [history.addCluster, history.ownerPower, history.strangerPower])
        #expect(try Self.listed(home, "host=\(history.computes[1])") == [history.addCluster, history.addStrangerKey, history.adminStart, history.failedOutcome])
        #expect(try Self.listed(home, "host=\(history.computes[0])", "denied=yes", "op=set host power") == [history.strangerPower])
        // Sequence bounds, and time bounds: from a record's own time includes it, as to= does.
        #expect(try Self.listed(home, "from=\(history.adminStart)", "to=\(history.ownerPower)") == Array(history.adminStart...history.ownerPower))
        let times = try #require(try CanonicalJSON.decode(Array(home.run("ledger", "log", "output-format=json").stdout.dropLast().utf8)).arrayValue)
            .map { $0["time"]?.stringValue ?? "" }
        #expect(try Self.listed(home, "from=\(times[history.adminStart - 1])") == Array(history.adminStart...history.last))
        #expect(try Self.listed(home, "to=\(times[history.adminStart - 1])") == Array(1...history.adminStart))
        #expect(try Self.listed(home, "from=2000-01-01T00:00:00Z", "to=2000-01-02T00:00:00Z") == [])
        #expect(try Self.listed(home, "from=\(history.last + 5)") == [])
    }

    @Test func eachLineSaysWhoWhatWhenAndTheOutcome() throws {
        let history = try Self.history()
        let lines = history.home.run("ledger", "log").stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == history.last)
        let owner = lines[history.ownerPower - 1]
        #expect(owner.contains(" \(history.owner.short) cluster:frontend-0-0-0 | set host power action=on hosts=\(history.computes[0]) | appended; start vm \(history.computes[0]) pending"),
                "\(owner)")
        #expect(owner.split(separator: " ")[1].hasSuffix("Z"))
        let stranger = lines[history.strangerPower - 1]
        #expect(stranger.contains(" host:\(history.computes[1]) | set host power action=off hosts=\(history.computes[0]) | denied: "), "\(stranger)")
        #expect(lines[history.adminStart - 1].contains(" admin | start host vm hosts=\(history.computes[1]) | appended; start vm \(history.computes[1]) failed (no such container)"),
                "\(lines[history.adminStart - 1])")
        #expect(lines[history.failedOutcome - 1].contains(" frontend | record outcome "))
        // A key's PEM is named by its first line, so the record stays on one line.
        #expect(lines[history.addKey - 1].contains("key='-----BEGIN PUBLIC KEY-----…' |"), "\(lines[history.addKey - 1])")
    }

    @Test func showPrintsOneRecordWhole() throws {
        let history = try Self.history()
        let home = history.home
        let shown = home.run("ledger", "show", String(history.adminStart))
        #expect(shown.status == 0, "\(shown.stderr)")
        let text = shown.stdout
        #expect(text.hasPrefix("record \(history.adminStart), appended 20"))
        #expect(text.contains("request start host vm, signed by admin with key "))
        #expect(text.contains("  hosts      \(history.computes[1])\n"))
        #expect(text.contains("decision     {\"effects\":[{"))
        #expect(text.contains("outcome      appended\n"))
        #expect(text.contains("  effect \(String(repeating: "0", count: 20 - String(history.adminStart).count))\(history.adminStart)/0000: start vm \(history.computes[1]) on vm-container-0-1: failed, 1 attempt\n    no such container\n"))
        // The checkpoint its commit wrote, as a signed note an auditor can check.
        #expect(text.contains("checkpoint covering it (\(history.adminStart) records):\n  "))
        #expect(text.contains("\n  \(history.adminStart)\n"))
        #expect(text.contains("\n  — "))
        let denied = home.run("ledger", "show", "seq=\(history.strangerPower)").stdout
        #expect(denied.contains("signed by host:\(history.computes[1]) with key ") && denied.contains("outcome      denied: "), "\(denied)")
        let json = try CanonicalJSON.decode(Array(home.run("ledger", "show", String(history.ownerPower), "output-format=json").stdout.dropLast().utf8))
        let row = try #require(json.arrayValue?.first)
        #expect(row["who"]?.stringValue == "cluster:frontend-0-0-0")
        #expect(row["effects"]?.arrayValue?.first?["status"]?.stringValue == "pending")
        #expect(row["checkpoint"]?.stringValue?.contains("\n\(history.ownerPower)\n") == true)
    }

    @Test func badFiltersAreRefusedInOneLine() throws {
        let home = try RocksHome.initialised()
        for (arguments, message) in [
            (["log", "key=xyz"], "key must be a key id"),
            (["log", "op=set host powr"], "op 'set host powr' is not an operation of this ledger"),
            (["log", "from=yesterday"], "from must be a sequence number or an RFC 3339 UTC time"),
            (["log", "denied=maybe"], "denied must be yes or no"),
            (["show", "9"], "no record 9: the log holds records 1 to 1"),
            (["show"], "must supply a record's sequence number"),
        ] {
            expectOneErrorLine(home.run(["ledger"] + arguments), message)
        }
    }
}
