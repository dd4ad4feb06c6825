import RocksGrammar
import CLI
import Foundation

/// Real VMs: define + start + destroy + undefine of `guests=` VMs through the `rocks`
/// executable, beside a `virsh` loop doing the same to the same XML in the same run; then
/// the executor's own cost per effect, with libvirt's in-process test driver standing in
/// for a hypervisor (each effect is one lookup that finds nothing to do).
enum ExecutorBenchmark {
    static func run() throws {
        let count = Int(settings["guests"] ?? "20") ?? 20
        let effects = Int(settings["effects"] ?? "1000") ?? 1000
        let guests = try BenchGuests(label: "executor", uris: ["qemu:///system"], count: count)
        defer { guests.cleanUp() }
        let (vms, xmlFiles) = (guests.names, guests.xmlFiles)
        func virsh(_ arguments: String...) throws { try guests.virsh(arguments) }

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
            phases.append((arguments[0], try seconds { try guests.rocks(arguments + vms) }))
        }
        let rocksTime = phases.map(\.1).reduce(0, +)
        print("virsh define/start/destroy/undefine loop: \(milliseconds(virshTime)) (\(milliseconds(virshTime / Double(count))) per VM; "
            + virshPhases.map { "\($0.0) \(milliseconds($0.1))" }.joined(separator: ", ") + ")")
        print("rocks start + stop + remove host vm:      \(milliseconds(rocksTime)) (\(milliseconds(rocksTime / Double(count))) per VM; "
            + phases.map { "\($0.0) \(milliseconds($0.1))" }.joined(separator: ", ") + ")")
        print(String(format: "rocks / virsh: %.2f× the time (aim: within 1.1×)", rocksTime / virshTime))

        try overheadPerEffect(effects, home: guests.home)
    }

    /// `effects` stop effects run against libvirt's test driver, where each finds no domain:
    /// what is left is the executor's own work, one signed, checkpointed outcome commit each.
    static func overheadPerEffect(_ effects: Int, home: String) throws {
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
}
