import CLI
import Foundation
import Signing
import Testing
import TestSupport

/// The seed guide's virtual cluster on two VM containers that are both this machine's real
/// libvirtd (`qemu:///system`), with the containers' NICs renamed to links the test owns: a
/// veth `prk0` under bridge `rk0` (private), `prk1` under `rk1` (public, for the virtual
/// frontend's eth1), and a veth `prk0.2` standing in for the VLAN 2 device (this kernel has
/// no 802.1Q). `sync host network` builds the bridges; `deinit` deletes every link.
final class RealCluster: @unchecked Sendable {
    let home: RocksHome
    let root = TemporaryDirectory("network-root")
    static let links = ["prk0", "prk1", "prk0.2", "rk0", "rk1"]
    /// Small guests: nothing boots (the disks are empty); they sit in the firmware's PXE loop.
    static let memory = 128

    init() throws {
        Self.deleteLinks()
        for (link, peer) in [("prk0", "xrk0"), ("prk1", "xrk1"), ("prk0.2", "xrk0v2")] {
            try Self.ip("link", "add", link, "type", "veth", "peer", "name", peer)
        }
        home = try RocksHome.initialised()
        let containers = [("vm-container-0-0", "00:14:4f:80:de:00", "10.1.255.254"), ("vm-container-0-1", "00:14:4f:80:de:01", "10.1.255.253")]
        for (name, mac, ip) in containers {
            try run("add", "host", "membership=VM Container", "mac=\(mac)")
            try run("remove", "host", "interface", name, "eth0")
            try run("add", "host", "interface", name, "rk0", "mac=\(mac)", "ip=\(ip)", "subnet=private")
            try run("set", "host", "attr", name, "libvirt_uri", "qemu:///system")
        }
        try run("add", "host", "interface", "vm-container-0-0", "rk1", "ip=137.110.119.200", "subnet=public")
        try run("add", "cluster", "ip=137.110.119.118", "num-computes=2", "fe-container=vm-container-0-0",
                "container-hosts=vm-container-0-0 vm-container-0-1", "mem-per-compute=\(Self.memory)")
        try run("set", "host", "vm", "frontend-0-0-0", "mem=\(Self.memory)")
        for vm in try vms() { Self.forget(vm) }
        try run("sync", "host", "network", "vm-container-0-0", "root=\(root.path)", "apply=yes")
    }

    deinit {
        for vm in (try? vms()) ?? [] { Self.forget(vm) }
        Self.deleteLinks()
    }

    /// `rocks <arguments>` in-process; a failure fails the step with rocks' error line.
    @discardableResult
    func run(_ arguments: String...) throws -> String {
        let result = home.run(arguments)
        guard result.status == 0 else { throw TestFailure("rocks \(arguments.joined(separator: " ")): \(result.stderr)") }
        return result.stdout
    }

    /// The cluster's VMs as the ledger lists them.
    func vms() throws -> [String] {
        let json = try CanonicalJSON.decode(Array(home.run("list", "host", "vm", "output-format=json").stdout.dropLast().utf8))
        return (json.arrayValue ?? []).compactMap { $0["host"]?.stringValue }
    }

    func listed(_ vm: String) throws -> JSONValue {
        let json = try CanonicalJSON.decode(Array(home.run("list", "host", "vm", vm, "output-format=json").stdout.dropLast().utf8))
        return try #require(json.arrayValue?.first)
    }

    /// Removes a leftover domain and disk of an earlier, interrupted run.
    static func forget(_ vm: String) {
        _ = try? virsh("destroy", vm)
        _ = try? virsh("undefine", vm)
        _ = try? virsh("vol-delete", "--pool", "default", "\(vm).vda")
    }

    static func deleteLinks() {
        for link in links { _ = try? ProcessRunner.run("/usr/sbin/ip", ["link", "del", link]) }
    }

    @discardableResult
    static func ip(_ arguments: String...) throws -> String {
        let output = try ProcessRunner.run("/usr/sbin/ip", arguments)
        guard output.status == 0 else { throw TestFailure("ip \(arguments.joined(separator: " ")): \(output.stderr)") }
        return output.stdout
    }

    /// `virsh -c qemu:///system <arguments>`, trimmed.
    @discardableResult
    static func virsh(_ arguments: String...) throws -> String {
        let output = try ProcessRunner.run("/usr/bin/virsh", ["-q", "-c", "qemu:///system"] + arguments)
        guard output.status == 0 else { throw TestFailure("virsh \(arguments.joined(separator: " ")): \(output.stderr)") }
        return output.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func state(_ vm: String) -> String { (try? virsh("domstate", vm)) ?? "absent" }

    /// The PID libvirt recorded for a running domain's qemu.
    static func qemuPID(_ vm: String) -> String? {
        try? String(contentsOfFile: "/run/libvirt/qemu/\(vm).pid", encoding: .utf8)
    }
}
