import CLI
import Testing
import TestSupport

/// A start or stop of several VMs accounts for every one: successes on stdout as usual, one
/// `error - <vm>: <reason>` line per failure on stderr, exit status 1.
@Suite struct PowerFailureTests {
    @Test func everyFailedVMOfAStartOrStopIsNamed() throws {
        let home = try RocksHome.initialised()
        for _ in 0..<3 { #expect(home.run("add", "host", "membership=VM Container").status == 0) }
        // libvirt's test driver keeps its disks in `default-pool`; vm-container-0-1 and
        // vm-container-0-2 are unreachable (nothing listens on port 1 of the loopback).
        for container in ["vm-container-0-0", "vm-container-0-1", "vm-container-0-2"] {
            #expect(home.run("set", "host", "attr", container, "vm_disk_pool", "default-pool").status == 0)
        }
        for container in ["vm-container-0-1", "vm-container-0-2"] {
            #expect(home.run("set", "host", "attr", container, "libvirt_uri", "qemu+tcp://127.0.0.1:1/system").status == 0)
        }
        let vms = ["power-fail-ok", "power-fail-a", "power-fail-b"]
        for (vm, container) in zip(vms, ["vm-container-0-0", "vm-container-0-1", "vm-container-0-2"]) {
            #expect(home.run("add", "host", "vm", container, "membership=Compute", "name=\(vm)").status == 0)
        }
        for verb in ["start", "stop"] {
            let result = home.run([verb, "host", "vm"] + vms)
            #expect(result.status == 1)
            #expect(result.stdout.hasPrefix("power-fail-ok: \(verb == "start" ? "started" : "stopped") on vm-container-0-0"), "\(result.stdout)")
            let errors = result.stderr.split(separator: "\n").map(String.init)
            #expect(errors.count == 2, "\(result.stderr)")
            for (line, vm) in zip(errors.sorted(), ["power-fail-a", "power-fail-b"]) {
                #expect(line.hasPrefix("error - \(vm): \(verb) vm \(vm) on vm-container-0-"), "\(line)")
                #expect(line.contains("Connection refused"))
            }
        }
    }
}
