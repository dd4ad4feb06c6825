import Foundation
import Signing
import Testing
import TestSupport

/// Two `rocks add cluster` processes released together, twenty times over: LMDB's single
/// writer serialises the decisions, so no VLAN, MAC or name is ever handed out twice.
@Suite struct ConcurrencyTests {
    @Test func pairsOfAddClusterReleasedTogetherNeverShareAllocations() throws {
        let home = try SeedWalkthroughTests.seededHome()
        let rocks = ProcessRunner.product("rocks")
        let environment = ["ROCKS_HOME": home.path, "PATH": "/usr/bin:/bin"]
        for pair in 0..<20 {
            let barrier = home.directory.file("go-\(pair)")
            let processes = try (0..<2).map { member -> (Process, Pipe) in
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/bin/sh")
                // Each waits for the barrier file, then both exec rocks at the same moment.
                process.arguments = ["-c", "while [ ! -e \"$0\" ]; do :; done; exec \"$1\" add cluster \"$2\" 1",
                                     barrier, rocks, "137.110.119.\(150 + 2 * pair + member)"]
                process.environment = environment
                let output = Pipe()
                process.standardOutput = output
                process.standardError = output
                try process.run()
                return (process, output)
            }
            usleep(20_000)
            // Both processes spin until the barrier file appears: without it, stop them.
            guard FileManager.default.createFile(atPath: barrier, contents: nil) else {
                for (process, _) in processes { process.terminate() }
                Issue.record("cannot create the barrier file \(barrier)")
                return
            }
            for (process, output) in processes {
                process.waitUntilExit()
                let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                #expect(process.terminationStatus == 0, "pair \(pair): \(text)")
            }
        }
        let clusters = try #require(try CanonicalJSON.decode(Array(home.run("list", "cluster", "output-format=json").stdout.dropLast().utf8)).arrayValue)
        let vlans = clusters.compactMap { $0["vlan"]?.integerValue }
        #expect(vlans.count == 40 && Set(vlans).count == 40)
        let vms = try #require(try CanonicalJSON.decode(Array(home.run("list", "host", "vm", "output-format=json").stdout.dropLast().utf8)).arrayValue)
        let names = vms.compactMap { $0["host"]?.stringValue }
        let macs = vms.flatMap { $0["macs"]?.arrayValue ?? [] }.compactMap(\.stringValue)
        #expect(names.count == 80 && Set(names).count == 80)
        #expect(macs.count == 120 && Set(macs).count == 120)
        #expect(home.run("ledger", "verify").status == 0)
    }
}
