import CLI
import Foundation

/// Real VMs: define + start + destroy + undefine of `guests=` VMs through the `rocks`
/// executable, beside a `virsh` loop doing the same to the same XML in the same run; then
/// the executor's own cost per effect, with libvirt's in-process test driver standing in
/// for a hypervisor (each effect is one lookup that finds nothing to do).
enum ExecutorBenchmark {
    static let bridge = "rkb0"

    static func run() throws {
        let count = Int(settings["guests"] ?? "20") ?? 20
        let effects = Int(settings["effects"] ?? "1000") ?? 1000
        let home = scratch("executor")
        defer { try? FileManager.default.removeItem(atPath: home) }
        let rocksPath = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("rocks").path
        let environment = ["ROCKS_HOME": home, "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"]
        func rocks(_ arguments: [String]) throws -> String { try Self.run(rocksPath, arguments, environment: environment) }
        func virsh(_ arguments: String...) throws { _ = try Self.run("/usr/bin/virsh", ["-q", "-c", "qemu:///system"] + arguments) }

        try makeBridgePort()
        defer { deleteBridge() }
        _ = try rocks(["init", "name=bench.example.org", "public-ip=137.110.119.117"])
        _ = try rocks(["add", "host", "membership=VM Container", "mac=00:14:4f:80:de:00"])
        _ = try rocks(["remove", "host", "interface", "vm-container-0-0", "eth0"])
        _ = try rocks(["add", "host", "interface", "vm-container-0-0", bridge, "mac=00:14:4f:80:de:00", "ip=10.1.255.254", "subnet=private"])
        _ = try rocks(["set", "host", "attr", "vm-container-0-0", "libvirt_uri", "qemu:///system"])
        _ = try rocks(["sync", "host", "network", "vm-container-0-0", "root=\(home)", "apply=yes"])
        var vms: [String] = []
        for index in 0..<count {
            let name = "rocks-bench-\(index)"
            _ = try rocks(["add", "host", "vm", "vm-container-0-0", "membership=compute", "name=\(name)", "mem=128"])
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

        print("rocks bench executor: \(count) VMs of 128 MiB on qemu:///system (\(FileManager.default.isWritableFile(atPath: "/dev/kvm") ? "KVM" : "emulation"))")
        // Phase by phase, as rocks does it, so both run the same number of guests at once
        // (a running guest's firmware competes for the CPUs).
        var virshPhases: [(String, Double)] = []
        for (phase, step) in [("define", { try virsh("define", $1) }), ("start", { vm, _ in try virsh("start", vm) }),
                              ("destroy", { vm, _ in try virsh("destroy", vm) }), ("undefine", { vm, _ in try virsh("undefine", vm) })]
            as [(String, (String, String) throws -> Void)]
        {
            virshPhases.append((phase, try seconds { for (vm, file) in zip(vms, xmlFiles) { try step(vm, file) } }))
        }
        let virshTime = virshPhases.map(\.1).reduce(0, +)
        // The same four steps through rocks: start defines and starts, stop destroys, remove undefines.
        var phases: [(String, Double)] = []
        for arguments in [["start", "host", "vm"], ["stop", "host", "vm"], ["remove", "host", "vm"]] {
            phases.append((arguments[0], try seconds { _ = try rocks(arguments + vms) }))
        }
        let rocksTime = phases.map(\.1).reduce(0, +)
        print("virsh define/start/destroy/undefine loop: \(milliseconds(virshTime)) (\(milliseconds(virshTime / Double(count))) per VM; "
            + virshPhases.map { "\($0.0) \(milliseconds($0.1))" }.joined(separator: ", ") + ")")
        print("rocks start + stop + remove host vm:      \(milliseconds(rocksTime)) (\(milliseconds(rocksTime / Double(count))) per VM; "
            + phases.map { "\($0.0) \(milliseconds($0.1))" }.joined(separator: ", ") + ")")
        print(String(format: "rocks / virsh: %.2f× the time (aim: within 1.1×)", rocksTime / virshTime))

        try overheadPerEffect(effects, rocks: rocks, home: home)
    }

    /// The containers' NIC: a veth `prkb0` the private bridge `rkb0` will enslave.
    static func makeBridgePort() throws {
        deleteBridge()
        _ = try run("/usr/sbin/ip", ["link", "add", "p" + bridge, "type", "veth", "peer", "name", "x" + bridge])
    }

    static func deleteBridge() {
        _ = try? run("/usr/sbin/ip", ["link", "del", "p" + bridge])
        _ = try? run("/usr/sbin/ip", ["link", "del", bridge])
    }

    /// `effects` stop effects run against libvirt's test driver, where each finds no domain:
    /// what is left is the executor's own work, one signed, checkpointed outcome commit each.
    static func overheadPerEffect(_ effects: Int, rocks: ([String]) throws -> String, home: String) throws {
        let context = { CommandContext(environment: ["ROCKS_HOME": home, "ROCKS_LIBVIRT_URI": "test:///default"]) }
        func inProcess(_ arguments: [String]) throws {
            let result = RocksCLI.run(arguments, context: context())
            guard result.status == 0 else { throw CLIError("rocks \(arguments.joined(separator: " ")): \(result.stderr)") }
        }
        try inProcess(["add", "host", "membership=VM Container", "mac=00:14:4f:80:de:01"])
        var stopped: [String] = []
        for index in 0..<effects {
            let name = "stand-in-\(index)"
            try inProcess(["add", "host", "vm", "vm-container-0-1", "membership=compute", "name=\(name)", "mem=128"])
            stopped.append(name)
        }
        try inProcess(["stop", "host", "vm"] + stopped + ["async=yes"])
        let time = try seconds { try inProcess(["run", "executor", "once=yes"]) }
        print("executor overhead with a do-nothing hypervisor (test:///default): \(effects) effects in \(milliseconds(time)), "
            + "\(rate(effects, time)), \(String(format: "%.2f", time * 1000 / Double(effects))) ms per effect (one durable outcome commit each)")
    }

    @discardableResult
    static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CLIError("\(executable) \(arguments.joined(separator: " ")): \(String(decoding: errorData, as: UTF8.self))")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
