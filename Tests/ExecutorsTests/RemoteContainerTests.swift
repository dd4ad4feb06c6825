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
    /// Containers reached through libvirt's remote protocol, and the effects for different
    /// containers running side by side.
    @Test func aClusterOnTwoContainersWithDifferentURIsRunsEachContainerInParallel() throws {
        let cluster = try RealCluster()
        try cluster.run("set", "host", "attr", "vm-container-0-1", "libvirt_uri", "qemu+tcp://127.0.0.1/system")
        let vms = try cluster.vms()
        try cluster.home.run(["start", "host", "vm"] + vms + ["async=yes"]).requireSuccess()
        let head = UInt64(cluster.home.head.split(separator: " ").first ?? "") ?? 0
        let run = try cluster.run("run", "executor", "once=yes")
        #expect(run.split(separator: "\n").count == vms.count && !run.contains("failed"), "\(run)")
        for vm in vms { #expect(RealCluster.state(vm) == "running", "\(vm)") }

        // Effects are asked for in name order, so one after the other the remote container's
        // only start would come last; run side by side, it ends before the local container's last.
        let ledger = try cluster.home.ledger()
        let request = try #require(try ledger.record(head))
        var containerOf: [String: String] = [:]
        for effect in try Effect.requested(by: request) { containerOf[effect.id.description] = effect.container }
        var times: [String: [Timestamp]] = [:]
        var order: [String] = []
        try ledger.forEachRecord(from: head + 1) { record in
            guard record.op == "record outcome", let container = try record.request.envelope.args["effect"].flatMap({ containerOf[$0] }) else { return true }
            order.append(container)
            times[container, default: []].append(record.appended)
            return true
        }
        let remote = try #require(times["vm-container-0-1"]?.last)
        let localLast = try #require(times["vm-container-0-0"]?.last)
        #expect(remote < localLast, "outcomes in order: \(order)")

        try cluster.home.run(["stop", "host", "vm"] + vms).requireSuccess()
        for vm in vms { #expect(RealCluster.state(vm) == "shut off", "\(vm)") }
        try cluster.run("remove", "cluster", "frontend-0-0-0", "delete-disks=yes")
    }

    /// DESIGN §4 invariant 5: a container that does not answer is `unknown`, within the
    /// deadline, and `unknown` triggers nothing.
    @Test func anUnreachableContainerIsUnknownAndNeverActedOn() throws {
        let cluster = try RealCluster()
        let relay = try TCPRelay()
        try cluster.run("set", "host", "attr", "vm-container-0-1", "libvirt_uri", "qemu+tcp://127.0.0.1:\(relay.port)/system")
        let vms = try cluster.vms()
        try cluster.home.run(["start", "host", "vm"] + vms).requireSuccess()
        let remoteVM = try #require(try vms.first { try cluster.listed($0)["container"] == "vm-container-0-1" })
        let pids = vms.map(RealCluster.qemuPID)

        relay.stop()
        let started = Date()
        let listed = cluster.home.run("list", "host", "vm", "status=yes", "deadline=2", "output-format=json")
        let elapsed = Date().timeIntervalSince(started)
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect(elapsed < 2.5, "took \(elapsed) s with a 2 s deadline")
        let rows = try CanonicalJSON.decode(Array(listed.stdout.dropLast().utf8)).arrayValue ?? []
        for row in rows {
            let expected = row["host"]?.stringValue == remoteVM ? "unknown" : "on"
            #expect(row["status"]?.stringValue == expected && row["desired"] == "on", "\(row)")
        }
        let table = cluster.home.run("list", "cluster", "status=yes", "deadline=2").stdout
        #expect(table.contains("STATUS") && table.contains("unknown"))

        let head = cluster.home.head
        let sync = cluster.home.run("sync", "host", "vm", "repair=yes", "deadline=2")
        #expect(sync.status == 0, "\(sync.stderr)")
        #expect(sync.stdout.contains("\(remoteVM): desired on, observed unknown (vm-container-0-1 did not answer within 2 s): left alone"))
        #expect(cluster.home.head == head, "nothing appended: no observation of a guess, no start, no stop")
        #expect(vms.map(RealCluster.qemuPID) == pids && pids.allSatisfy { $0 != nil }, "the same qemu processes")

        // A relay that is gone (connections refused) is unknown too.
        relay.kill()
        let refused = cluster.home.run("list", "host", "vm", remoteVM, "status=yes", "deadline=2", "output-format=json")
        #expect(refused.stdout.contains("\"status\":\"unknown\""), "\(refused.stdout)\(refused.stderr)")

        try cluster.run("set", "host", "attr", "vm-container-0-1", "libvirt_uri", "qemu:///system")
        try cluster.run("remove", "cluster", "frontend-0-0-0", "delete-disks=yes")
    }

    /// A VM stopped with `virsh destroy` behind the ledger's back is drift: recorded, and
    /// started again by `repair=yes`; the VMs that were fine are not touched.
    @Test func aVMStoppedBehindTheLedgersBackIsRecordedAndRepaired() throws {
        let cluster = try RealCluster()
        let vms = try cluster.vms()
        try cluster.home.run(["start", "host", "vm"] + vms).requireSuccess()
        let victim = try #require(vms.last)
        try RealCluster.virsh("destroy", victim)
        let others = vms.dropLast().map(RealCluster.qemuPID)

        let sync = cluster.home.run("sync", "host", "vm")
        #expect(sync.status == 0, "\(sync.stderr)")
        #expect(sync.stdout.contains("\(victim): desired on, observed off (recorded in record "), "\(sync.stdout)")
        #expect(sync.stdout.contains("\(vms.count) VM(s) checked: 1 differ from the ledger, 0 unknown"))
        #expect(RealCluster.state(victim) == "shut off", "without repair=yes nothing is started")
        let observation = try cluster.home.read { reader, txn in try reader.observation(of: victim, in: txn) }
        #expect(observation?.observed == "off" && observation?.desired == "on")

        let repaired = cluster.home.run("sync", "host", "vm", "repair=yes")
        #expect(repaired.status == 0 && repaired.stdout.contains("\(victim): started on "), "\(repaired.stdout)\(repaired.stderr)")
        #expect(RealCluster.state(victim) == "running")
        #expect(vms.dropLast().map(RealCluster.qemuPID) == others, "the VMs that were fine keep their qemu processes")
        let clean = cluster.home.run("sync", "host", "vm")
        #expect(clean.stdout.hasSuffix("\(vms.count) VM(s) checked: 0 differ from the ledger, 0 unknown\n"))
        try cluster.run("remove", "cluster", "frontend-0-0-0", "delete-disks=yes")
    }

    /// The serving executor hears libvirt's lifecycle events: a VM destroyed behind the
    /// ledger's back is recorded without anyone running sync; a lost connection is recorded
    /// as a gap, and after it comes back the events are heard again.
    @Test func theServingExecutorRecordsDriftAndGapsFromLibvirtEvents() throws {
        let cluster = try RealCluster()
        var relay = try TCPRelay()
        let port = relay.port
        try cluster.run("set", "host", "attr", "vm-container-0-1", "libvirt_uri", "qemu+tcp://127.0.0.1:\(port)/system")
        let vms = try cluster.vms()
        try cluster.home.run(["start", "host", "vm"] + vms).requireSuccess()
        let remoteVM = try #require(try vms.first { try cluster.listed($0)["container"] == "vm-container-0-1" })
        let localVM = try #require(vms.last { $0 != remoteVM && $0.hasPrefix("hosted-vm") })

        let daemon = Process()
        daemon.executableURL = URL(fileURLWithPath: ProcessRunner.product("rocks"))
        daemon.arguments = ["run", "executor", "interval=1"]
        daemon.environment = cluster.home.environment
        daemon.standardError = FileHandle.nullDevice
        try daemon.run()
        var running = true
        func stopDaemon() {
            guard running else { return }
            running = false
            // SIGKILL: the test runner's children inherit its blocked SIGTERM.
            kill(daemon.processIdentifier, SIGKILL)
            daemon.waitUntilExit()
        }
        defer { stopDaemon() }
        Thread.sleep(forTimeInterval: 3)

        func awaitRecord(_ op: String, _ args: [String: String], within seconds: Double) throws -> Bool {
            let ledger = try cluster.home.ledger()
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                var found = false
                try ledger.forEachRecord { record in
                    let envelope = try record.request.envelope
                    found = envelope.op == op && args.allSatisfy { envelope.args[$0.key] == $0.value }
                    return !found
                }
                if found { return true }
                Thread.sleep(forTimeInterval: 0.25)
            }
            return false
        }

        try RealCluster.virsh("destroy", localVM)
        #expect(try awaitRecord("record observation", ["vm": localVM, "observed": "off"], within: 10), "drift heard from events")

        relay.kill()
        #expect(try awaitRecord("record observation gap", ["container": "vm-container-0-1", "state": "began"], within: 20))
        relay = try TCPRelay(port: port)
        #expect(try awaitRecord("record observation gap", ["container": "vm-container-0-1", "state": "ended"], within: 20))
        // Watched again: the remote VM's destruction is heard too.
        Thread.sleep(forTimeInterval: 1)
        try RealCluster.virsh("destroy", remoteVM)
        #expect(try awaitRecord("record observation", ["vm": remoteVM, "observed": "off"], within: 10), "events after the reconnect")
        // Observations only: nothing was restarted.
        #expect(RealCluster.state(localVM) == "shut off" && RealCluster.state(remoteVM) == "shut off")

        stopDaemon()
        try cluster.run("set", "host", "attr", "vm-container-0-1", "libvirt_uri", "qemu:///system")
        try cluster.run("remove", "cluster", "frontend-0-0-0", "delete-disks=yes")
    }
}
