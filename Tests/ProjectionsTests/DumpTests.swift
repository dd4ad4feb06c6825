import CLI
import Foundation
import Ledger
import Projections
import Signing
import Testing
import TestSupport

/// `rocks dump` run with sh on a fresh ledger reproduces the views.
@Suite struct DumpTests {
    /// Every view's entries as text, with what legitimately differs masked: sequence numbers
    /// (host order, removal records, key `since`, effect ids) and the admin and frontend keys
    /// a new `rocks init` makes.
    static func maskedViews(_ home: RocksHome) throws -> [String: [String]] {
        let ledger = try Ledger(directory: home.path + "/ledger", projection: DomainProjection())
        let reader = DomainReader(environment: ledger.environment)
        return try ledger.read { txn in
            var views: [String: [String]] = [:]
            for view in View.allCases {
                let name = view.rawValue
                var rows: [String] = []
                for (key, value) in try reader.rows(of: view, in: txn) {
                    var keyText = String(decoding: key, as: UTF8.self)
                    guard var object = try CanonicalJSON.decode(Array(value)).objectValue else {
                        rows.append(keyText + " " + String(decoding: value, as: UTF8.self))
                        continue
                    }
                    switch name {
                    case "hosts": object["order"] = nil; object["removal"] = nil
                    case "keys":
                        if object["role"] != "host" { continue }
                        object["since"] = nil
                    case "effects": keyText = String(keyText.drop { $0 != "/" }); object["id"] = nil
                    case "removals":
                        keyText = ""
                        // Effect ids: the record that asked differs; the place in it does not.
                        object["effects"] = .array((object["effects"]?.arrayValue ?? []).map { id in
                            .string(String((id.stringValue ?? "").drop { $0 != "/" }))
                        })
                    default: break
                    }
                    rows.append(keyText + " " + String(decoding: CanonicalJSON.encode(.object(object)), as: UTF8.self))
                }
                views[name] = rows.sorted()
            }
            return views
        }
    }

    @Test func replayingTheDumpOnAFreshLedgerReproducesTheViews() throws {
        let home = try RebuildTests.busyHome()
        let more: [[String]] = [
            ["set", "host", "vm", "hosted-vm-0-0-0", "mem=4096", "physnode=vm-container-0-1"],
            ["set", "host", "interface", "module", "vm-container-0-0", "eth0", "e1000e"],
            ["set", "host", "attr", "vm-container-0-0", "vm_disk_pool", "fast"],
            ["remove", "host", "vm", "compute-0-0-1", "async=yes"],
            ["add", "host", "vm", "vm-container-0-0", "compute", "num-macs=3"],
            ["remove", "cluster", "frontend-0-0-1", "delete-disks=yes", "async=yes"],
            ["set", "host", "boot", "vm-container-0-1", "action=install"],
            // A second cluster beside the first: its frontend must list after the first's computes.
            ["add", "cluster", "137.110.119.120", "2"],
        ]
        for step in more {
            let result = home.run(step)
            #expect(result.status == 0, "\(step): \(result.stderr)")
        }
        try home.succeedPendingEffects()
        #expect(home.run("remove", "host", "vm", "compute-0-0-2", "async=yes").status == 0)

        let dump = home.run("dump")
        #expect(dump.status == 0, "\(dump.stderr)")
        let script = home.directory.file("dump.sh")
        try dump.stdout.write(toFile: script, atomically: true, encoding: .utf8)

        let fresh = RocksHome()
        #expect(fresh.run("init", "name=espresso.rocksclusters.org", "public-ip=137.110.119.117").status == 0)
        let bin = fresh.directory.file("bin")
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: bin + "/rocks", withDestinationPath: ProcessRunner.product("rocks"))
        let replay = try ProcessRunner.run("/bin/sh", ["-e", script], environment: ["ROCKS_HOME": fresh.path, "PATH": bin + ":/usr/bin:/bin"])
        #expect(replay.status == 0, "\(replay.stderr)")

        let original = try Self.maskedViews(home), replayed = try Self.maskedViews(fresh)
        for name in original.keys.sorted() {
            #expect(original[name] == replayed[name], "view \(name) differs after replaying the dump")
        }
        // What an operator sees, row order included.
        for list in [["list", "host"], ["list", "host", "interface"], ["list", "host", "vm"], ["list", "cluster"]] {
            #expect(fresh.run(list).stdout == home.run(list).stdout, "\(list.joined(separator: " ")) differs after replaying the dump")
        }
        #expect(fresh.run("ledger", "verify").status == 0)
        // The replayed ledger dumps to the same commands.
        #expect(fresh.run("dump").stdout == dump.stdout)
    }

    @Test func theVMsThatShouldRunAreAskedToStartAgain() throws {
        let home = try SeedWalkthroughTests.seededHome()
        #expect(home.run("add", "cluster", "137.110.119.118", "2").status == 0)
        #expect(home.run("start", "host", "vm", "frontend-0-0-0", "hosted-vm-0-1-0", "async=yes").status == 0)
        #expect(home.run("stop", "host", "vm", "hosted-vm-0-1-0", "async=yes").status == 0)
        let dump = home.run("dump").stdout
        #expect(dump.contains("rocks start host vm frontend-0-0-0 async=yes\n"), "\(dump)")
    }
}
