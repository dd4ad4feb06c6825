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
        let home = scratch("fleet")
        defer { try? FileManager.default.removeItem(atPath: home) }
        let rocksPath = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("rocks").path
        let environment = ["ROCKS_HOME": home, "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"]
        func rocks(_ arguments: [String]) throws -> String { try ExecutorBenchmark.run(rocksPath, arguments, environment: environment) }
        func virsh(_ arguments: String...) throws { _ = try ExecutorBenchmark.run("/usr/bin/virsh", ["-q", "-c", "qemu:///system"] + arguments) }

        let bridge = ExecutorBenchmark.bridge
        try ExecutorBenchmark.makeBridgePort()
        defer { ExecutorBenchmark.deleteBridge() }
        _ = try rocks(["init", "name=bench.example.org", "public-ip=137.110.119.117"])
        for (index, uri) in ["qemu:///system", "qemu+tcp://127.0.0.1/system"].enumerated() {
            let container = "vm-container-0-\(index)"
            let mac = "00:14:4f:80:de:0\(index)"
            _ = try rocks(["add", "host", "membership=VM Container", "mac=\(mac)"])
            _ = try rocks(["remove", "host", "interface", container, "eth0"])
            _ = try rocks(["add", "host", "interface", container, bridge, "mac=\(mac)", "ip=10.1.255.25\(4 - index)", "subnet=private"])
            _ = try rocks(["set", "host", "attr", container, "libvirt_uri", uri])
        }
        _ = try rocks(["sync", "host", "network", "vm-container-0-0", "root=\(home)", "apply=yes"])
        var vms: [String] = []
        for index in 0..<count {
            let name = "rocks-fleet-\(index)"
            _ = try rocks(["add", "host", "vm", "vm-container-0-\(index % 2)", "membership=compute", "name=\(name)", "mem=128"])
            vms.append(name)
        }
        var xmlFiles: [String] = []
        for vm in vms {
            let file = "\(home)/\(vm).xml"
            try rocks(["report", "host", "vm", "config", vm]).write(toFile: file, atomically: true, encoding: .utf8)
            xmlFiles.append(file)
            _ = try? virsh("vol-delete", "--pool", "default", "\(vm).vda")
            try virsh("vol-create-as", "default", "\(vm).vda", "36G", "--allocation", "0", "--format", "raw")
        }
        defer { for vm in vms { _ = try? virsh("vol-delete", "--pool", "default", "\(vm).vda") } }

        print("rocks bench fleet: \(count) VMs of 128 MiB over 2 containers (qemu:///system and qemu+tcp://127.0.0.1/system)")
        let virshTime = try seconds {
            for (vm, file) in zip(vms, xmlFiles) {
                try virsh("define", file)
                try virsh("start", vm)
            }
            for vm in vms { try virsh("destroy", vm) }
        }
        for vm in vms { try virsh("undefine", vm) }
        let startTime = try seconds { _ = try rocks(["start", "host", "vm"] + vms) }
        let stopTime = try seconds { _ = try rocks(["stop", "host", "vm"] + vms) }
        _ = try rocks(["remove", "host", "vm"] + vms)
        print("sequential virsh define+start, then destroy: \(milliseconds(virshTime))")
        print("rocks start + stop host vm, containers in parallel: \(milliseconds(startTime + stopTime)) (start \(milliseconds(startTime)), stop \(milliseconds(stopTime)))")
        print(String(format: "rocks / virsh: %.2f× the time (aim: below 1)", (startTime + stopTime) / virshTime))

        try statusLatency(home: home)
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
