import CLI
import Foundation
import Ledger
import Projections
import Signing
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

extension LibvirtVMTests {
    /// DESIGN §4 invariant 4: the executor is killed with SIGKILL at a random moment while it
    /// starts or stops the cluster's VMs; the next run finishes the work. Every VM ends as
    /// the ledger wants it, every effect has exactly one final outcome, and the log verifies.
    @Test func killingTheExecutorAtAnyMomentLosesNothing() throws {
        let cluster = try RealCluster()
        let vms = try cluster.vms()
        let seed = UInt64.random(in: 0...UInt64(UInt32.max))
        var random = SeededGenerator(state: seed)
        let runs = 50
        var interrupted = 0
        for run in 0..<runs {
            let start = run % 2 == 0
            try cluster.home.run([start ? "start" : "stop", "host", "vm"] + vms + ["async=yes"]).requireSuccess()
            let victim = Process()
            victim.executableURL = URL(fileURLWithPath: ProcessRunner.product("rocks"))
            victim.arguments = ["run", "executor", "once=yes"]
            victim.environment = cluster.home.environment
            victim.standardOutput = FileHandle.nullDevice
            victim.standardError = FileHandle.nullDevice
            try victim.run()
            usleep(UInt32.random(in: 0...900_000, using: &random))
            kill(victim.processIdentifier, SIGKILL)
            victim.waitUntilExit()

            let finish = cluster.home.run("run", "executor", "once=yes")
            #expect(finish.status == 0, "run \(run), seed \(seed): \(finish.stderr)")
            // The second executor printing outcomes means the kill landed before the work was done.
            if !finish.stdout.isEmpty { interrupted += 1 }
            for vm in vms {
                #expect(RealCluster.state(vm) == (start ? "running" : "shut off"), "run \(run), seed \(seed): \(vm)")
            }
        }

        #expect(interrupted >= runs / 5, "only \(interrupted) of \(runs) kills interrupted the work (seed \(seed))")

        // Exactly one final outcome per effect, all of them successes.
        let ledger = try cluster.home.ledger()
        var asked: [String] = []
        var finals: [String: Int] = [:]
        var failures = 0
        try ledger.forEachRecord { record in
            let envelope = try record.request.envelope
            if envelope.op == "record outcome", let status = envelope.args["status"], status != "attempt" {
                finals[envelope.args["effect"] ?? "?", default: 0] += 1
                if status != "succeeded" { failures += 1 }
            } else {
                asked += try Effect.requested(by: record).map(\.id.description)
            }
            return true
        }
        #expect(asked.count == runs * vms.count)
        #expect(asked.allSatisfy { finals[$0] == 1 }, "seed \(seed)")
        #expect(finals.count == asked.count && failures == 0, "seed \(seed)")
        let verified = cluster.home.run("ledger", "verify")
        #expect(verified.status == 0, "\(verified.stderr)")
        try cluster.run("remove", "cluster", "frontend-0-0-0", "delete-disks=yes")
    }
}

extension RocksCLI.Result {
    func requireSuccess(sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(status == 0, "\(stderr)", sourceLocation: sourceLocation)
        if status != 0 { throw TestFailure(stderr) }
    }
}
