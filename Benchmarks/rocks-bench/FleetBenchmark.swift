import RocksGrammar
import CLI
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Many containers: start and stop of `guests=` real VMs spread over two containers (one
/// reached as `qemu:///system`, one through libvirt's remote protocol on loopback TCP),
/// beside a sequential `virsh` loop over the same XML; then `list host vm status=yes` over
/// 1,000 VMs on 4 containers, one of which accepts connections and never answers.
enum FleetBenchmark {
    static func run() throws {
        let count = Int(settings["guests"] ?? "20") ?? 20
        let guests = try BenchGuests(label: "fleet", uris: ["qemu:///system", "qemu+tcp://127.0.0.1/system"], count: count)
        defer { guests.cleanUp() }
        let (vms, xmlFiles) = (guests.names, guests.xmlFiles)
        func rocks(_ arguments: [String]) throws { try guests.rocks(arguments) }
        func virsh(_ arguments: String...) throws { try guests.virsh(arguments) }

        print("rocks bench fleet: \(count) VMs of 128 MiB over 2 containers (qemu:///system and qemu+tcp://127.0.0.1/system)")
        let virshTime = try seconds {
            for (vm, file) in zip(vms, xmlFiles) {
                try virsh("define", file)
                try virsh("start", vm)
            }
            for vm in vms { try virsh("destroy", vm) }
        }
        for vm in vms { try virsh("undefine", vm) }
        let startTime = try seconds { try rocks(["start", "host", "vm"] + vms) }
        let stopTime = try seconds { try rocks(["stop", "host", "vm"] + vms) }
        try rocks(["remove", "host", "vm"] + vms)
        print("sequential virsh define+start, then destroy: \(milliseconds(virshTime))")
        print("rocks start + stop host vm, containers in parallel: \(milliseconds(startTime + stopTime)) (start \(milliseconds(startTime)), stop \(milliseconds(stopTime)))")
        print(String(format: "rocks / virsh: %.2f× the time (aim: below 1)", (startTime + stopTime) / virshTime))

        try statusLatency(home: guests.home)
    }

    /// `list host vm status=yes` over 1,000 VMs on 4 containers, one silent.
    static func statusLatency(home: String) throws {
        let silent = try SilentListener()
        let context = { CommandContext(environment: ["ROCKS_HOME": home]) }
        func rocks(_ arguments: [String]) throws -> RocksCLI.Result {
            let result = RocksCLI.run(arguments, context: context())
            guard result.status == 0 else { throw CLIError("rocks \(arguments.joined(separator: " ")): \(result.stderr)") }
            return result
        }
        for (index, uri) in [(2, "test:///default"), (3, "qemu+tcp://127.0.0.1:\(silent.port)/system")] {
            _ = try rocks(["add", "host", "membership=VM Container", "mac=00:14:4f:80:de:0\(index)"])
            _ = try rocks(["set", "host", "attr", "vm-container-0-\(index)", "libvirt_uri", uri])
        }
        _ = try rocks(["add", "cluster", "137.110.119.118", "999", "fe-container=vm-container-0-0", "mem-per-compute=128",
                       "container-hosts=vm-container-0-0 vm-container-0-1 vm-container-0-2 vm-container-0-3"])
        let deadline = 5.0
        var output = ""
        let time = try seconds { output = try rocks(["list", "host", "vm", "status=yes", "deadline=\(Int(deadline))"]).stdout }
        let rows = output.split(separator: "\n").dropFirst()
        let unknown = rows.filter { $0.contains(" unknown ") }.count
        print("list host vm status=yes, \(rows.count) VMs on 4 containers, one silent: \(milliseconds(time)), \(unknown) unknown "
            + "(aim: under the \(Int(deadline)) s deadline + 200 ms = \(milliseconds(deadline + 0.2)))")
    }

    /// A TCP port that accepts connections (the kernel does, from the backlog) and never
    /// says a word: a container whose libvirtd hangs.
    final class SilentListener {
        let fd: Int32
        let port: Int

        init() throws {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            self.fd = fd
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = 0
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
            }
            guard bound, listen(fd, 64) == 0 else { throw CLIError("cannot listen on loopback") }
            port = Int(UInt16(bigEndian: address.sin_port))
        }

        deinit { close(fd) }
    }
}
