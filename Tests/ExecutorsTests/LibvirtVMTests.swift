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

/// Real VMs: the executor against this machine's libvirtd and qemu (KVM where /dev/kvm
/// works), started by scripts/setup.sh. Serialized: the tests share the VM and link names.
@Suite(.serialized, .tags(.root, .libvirt, .slow), .notInFastRuns) struct LibvirtVMTests {
    @Test func theSeedClusterRunsStopsChangesAndGoesAway() throws {
        let cluster = try RealCluster()
        let vms = try cluster.vms()
        #expect(vms.count == 3)
        let started = cluster.home.run(["start", "host", "vm"] + vms)
        #expect(started.status == 0, "\(started.stderr)")

        for vm in vms {
            #expect(RealCluster.state(vm) == "running", "\(vm)")
            let listed = try cluster.listed(vm)
            let interfaces = try RealCluster.virsh("domiflist", vm)
            for mac in listed["macs"]?.arrayValue?.compactMap(\.stringValue) ?? [] {
                let line = interfaces.split(separator: "\n").first { $0.contains(mac) } ?? ""
                // Cluster NICs are macvtap on the VLAN 2 device; the frontend's public NIC is on bridge rk1.
                #expect(line.contains(" direct ") && line.contains(" prk0.2 ") || line.contains(" bridge ") && line.contains(" rk1 "), "\(vm) \(mac): \(line)")
            }
            let xml = try RealCluster.virsh("dumpxml", vm)
            #expect(xml.contains("<uuid>\(listed["uuid"]?.stringValue ?? "?")</uuid>"))
            #expect(xml.contains("<memory unit='KiB'>\(RealCluster.memory * 1024)</memory>"))
            #expect(xml.contains(">1</vcpu>"))
            #expect(xml.contains("volume='\(vm).vda'"))
            #expect(xml.contains("<domain type='kvm'") == FileManager.default.isWritableFile(atPath: "/dev/kvm"))

            // The console the ledger recorded is a UNIX socket answering as a VNC server.
            let console = try #require(try cluster.home.read { reader, txn in try reader.power(of: vm, in: txn)?.console })
            #expect(try Self.banner(console) == "RFB 003.008\n", "\(vm) at \(console)")

            // The disk is sparse: 36 GB to the guest, next to nothing on the container.
            let path = try RealCluster.virsh("vol-path", "--pool", "default", "\(vm).vda")
            var status = stat()
            #expect(stat(path, &status) == 0)
            #expect(status.st_size == 36 << 30 && Int(status.st_blocks) * 512 < 1 << 20, "\(path): \(status.st_blocks) blocks")
        }

        // Stop, change the memory, start again: the domain is redefined.
        let compute = try #require(vms.first { $0.hasPrefix("hosted-vm") })
        let stopped = cluster.home.run("stop", "host", "vm", compute)
        #expect(stopped.status == 0 && RealCluster.state(compute) == "shut off", "\(stopped.stderr)")
        try cluster.run("set", "host", "vm", compute, "mem=192")
        let restarted = try cluster.run("start", "host", "vm", compute)
        #expect(restarted.contains("redefined"))
        #expect(try RealCluster.virsh("dumpxml", compute).contains("<memory unit='KiB'>\(192 * 1024)</memory>"))

        // A graceful stop asks the guest first; a guest with no OS ignores ACPI and is stopped hard.
        let frontend = try #require(vms.first { $0.hasPrefix("frontend") })
        let graceful = cluster.home.run("stop", "host", "vm", frontend, "graceful=yes", "timeout=1")
        #expect(graceful.stdout.contains("did not shut down within 1 s; stopped hard"), "\(graceful.stdout)\(graceful.stderr)")
        #expect(RealCluster.state(frontend) == "shut off")
        try cluster.run("start", "host", "vm", frontend)

        // Rebuilding the views fires nothing: same qemu processes, same domain ids, no new record.
        let before = vms.map { (RealCluster.qemuPID($0), try? RealCluster.virsh("domid", $0)) }
        let head = cluster.home.head
        try cluster.run("ledger", "rebuild")
        let rerun = try cluster.run("run", "executor", "once=yes")
        #expect(rerun.isEmpty && cluster.home.head == head)
        let after = vms.map { (RealCluster.qemuPID($0), try? RealCluster.virsh("domid", $0)) }
        #expect(before.map(\.0) == after.map(\.0) && before.map(\.1) == after.map(\.1) && before.allSatisfy { $0.0 != nil })

        // Removing the cluster stops, undefines and deletes everything it had.
        try cluster.run("remove", "cluster", "frontend-0-0-0", "delete-disks=yes")
        let domains = try RealCluster.virsh("list", "--all", "--name")
        let volumes = try RealCluster.virsh("vol-list", "default")
        for vm in vms {
            #expect(!domains.contains(vm) && !volumes.contains("\(vm).vda"), "\(vm) left behind")
        }
        #expect(try cluster.vms().isEmpty)
        #expect(cluster.home.run("ledger", "verify").status == 0)
    }

    @Test func aLibvirtRefusalIsAFailedOutcomeThatQuotesLibvirt() throws {
        let cluster = try RealCluster()
        let compute = try #require(try cluster.vms().first { $0.hasPrefix("hosted-vm") })
        try cluster.run("set", "host", "vm", compute, "disk=nosuchpool/\(compute).vda")
        let head = Int(cluster.home.head.split(separator: " ").first ?? "") ?? 0
        let result = cluster.home.run("start", "host", "vm", compute)
        expectOneErrorLine(result, "start vm \(compute) on vm-container-0-")
        #expect(result.stderr.contains("nosuchpool") && result.stderr.contains("Storage pool not found"), "\(result.stderr)")
        // One record for the request, two attempts, one final failure.
        let ledger = try cluster.home.ledger()
        var statuses: [String] = []
        try ledger.forEachRecord(from: UInt64(head + 2)) { record in
            statuses.append(try record.request.envelope.args["status"] ?? "?")
            return true
        }
        #expect(statuses == ["attempt", "attempt", "failed"])
        let pending = try cluster.home.read { reader, txn in try reader.effects(in: txn) }
        #expect(pending.isEmpty)

        // Refused before anything is appended: an unknown VM, a host that is not a VM.
        let before = cluster.home.head
        expectOneErrorLine(cluster.home.run("start", "host", "vm", "hosted-vm-9-9-9"), "cannot resolve host")
        expectOneErrorLine(cluster.home.run("stop", "host", "vm", "vm-container-0-0"), "is not a VM")
        expectOneErrorLine(cluster.home.run("stop", "host", "vm", compute, "graceful=yes", "timeout=0"), "timeout must be")
        #expect(cluster.home.head == before)
        try cluster.run("remove", "cluster", "frontend-0-0-0", "delete-disks=yes")
    }

    @Test func aSecondExecutorSaysWhoHoldsTheLockAndCommandsLeaveTheirEffectsToIt() throws {
        // Containers without libvirt_uri reach libvirt's test driver (RocksHome's environment).
        let home = try RocksHome.seeded()
        #expect(home.run("add", "host", "vm", "vm-container-0-0", "membership=compute").status == 0)
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: ProcessRunner.product("rocks"))
        holder.arguments = ["run", "executor"]
        holder.environment = home.environment
        try holder.run()
        defer {
            // SIGKILL: the test runner's children inherit its blocked SIGTERM.
            kill(holder.processIdentifier, SIGKILL)
            holder.waitUntilExit()
        }
        let lockFile = home.path + "/executor.lock"
        for _ in 0..<100 where ((try? String(contentsOfFile: lockFile, encoding: .utf8)) ?? "").isEmpty { usleep(50_000) }
        expectOneErrorLine(home.run("run", "executor", "once=yes", "wait=no"), "the executor is already running as pid \(holder.processIdentifier)")

        // A command's effects are carried out by the executor that is running; the command
        // waits for their outcomes and returns.
        let started = Date()
        let removed = home.run("remove", "host", "vm", "compute-0-0-0")
        #expect(removed.status == 0, "\(removed.stderr)")
        #expect(Date().timeIntervalSince(started) < 10)
        #expect(home.run("list", "host", "vm").stdout.isEmpty)
        let log = home.run("ledger", "log").stdout.split(separator: "\n").suffix(2)
        #expect(log.allSatisfy { $0.contains("record outcome") }, "\(log)")
    }

    /// Reads what a server on the UNIX socket at `path` says first.
    static func banner(_ path: String) throws -> String {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { bytes in
            for (index, byte) in path.utf8.prefix(bytes.count - 1).enumerated() { bytes[index] = byte }
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard connected == 0 else { return "cannot connect to \(path)" }
        var buffer = [UInt8](repeating: 0, count: 12)
        var count = 0
        while count < 12 {
            let got = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress! + count, 12 - count) }
            guard got > 0 else { break }
            count += got
        }
        return String(decoding: buffer[..<count], as: UTF8.self)
    }
}
