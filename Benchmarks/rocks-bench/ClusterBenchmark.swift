import RocksGrammar
import CLI
import Foundation
import Ledger
import Projections

/// `rocks add cluster` with many computes, and the list commands over many VMs, run through
/// the same code path as the `rocks` executable (in-process, so the figures exclude process start).
enum ClusterBenchmark {
    static func run() throws {
        let computes = Int(settings["computes"]!)!
        let vmTarget = Int(settings["vms"]!)!
        let home = scratch("cluster")
        defer { try? FileManager.default.removeItem(atPath: home) }
        let context = { CommandContext(environment: ["ROCKS_HOME": home]) }
        func rocks(_ arguments: String...) throws -> RocksCLI.Result {
            let result = RocksCLI.run(arguments, context: context())
            guard result.status == 0 else { throw CLIError("rocks \(arguments.joined(separator: " ")): \(result.stderr)") }
            return result
        }
        _ = try rocks("init", "name=bench.example.org", "public-ip=137.110.119.117", "public-netmask=255.255.0.0")
        for _ in 0..<4 { _ = try rocks("add", "host", "membership=VM Container") }

        // One checkpoint per commit, so counting checkpoints counts commits.
        func commits() throws -> Int {
            let ledger = try Ledger(directory: home + "/ledger", projection: DomainProjection())
            return try ledger.read { txn in try txn.count(ledger.environment.database(Ledger.checkpointsName)) }
        }
        let before = try commits()
        var output = ""
        let addTime = try seconds { output = try rocks("add", "cluster", "137.110.1.1", String(computes)).stdout }
        let created = output.split(separator: "\n").count
        print("rocks bench cluster: directory \(settings["dir"]!)")
        print("add cluster num-computes=\(computes): \(milliseconds(addTime)), \(try commits() - before) LMDB commit(s), \(created) VMs created (aim: one commit, under 1 s)")

        var vms = computes + 1
        var address = 2
        while vms < vmTarget {
            let count = min(computes, vmTarget - vms - 1)
            _ = try rocks("add", "cluster", "137.110.\(address / 250 + 1).\(address % 250 + 1)", String(count))
            vms += count + 1
            address += 1
        }
        var clusterLines = 0, vmLines = 0
        let listClusterTime = try seconds { clusterLines = try rocks("list", "cluster").stdout.split(separator: "\n").count }
        let listVMTime = try seconds { vmLines = try rocks("list", "host", "vm").stdout.split(separator: "\n").count }
        print("list cluster with \(vms) VMs: \(milliseconds(listClusterTime)) (\(clusterLines) lines; aim under 200 ms)")
        print("list host vm with \(vms) VMs: \(milliseconds(listVMTime)) (\(vmLines) lines; aim under 200 ms)")
    }
}
