import RocksGrammar
import CLI
import Foundation

/// Real guests for the executor benchmarks: a fresh ledger whose containers are all this
/// machine's libvirtd (each through the URI given), their private NIC a bridge `rkb0` over a
/// veth the benchmark owns, and `count` guests of 128 MiB spread round-robin over them. Each
/// guest's XML (what `rocks start` would define) is written out and its volume made, so a
/// `virsh` loop can do the same work beside `rocks`. ``cleanUp()`` removes it all.
final class BenchGuests {
    static let bridge = "rkb0"

    let home: String
    private(set) var names: [String] = []
    private(set) var xmlFiles: [String] = []
    private let rocksPath: String

    init(label: String, uris: [String], count: Int) throws {
        home = scratch(label)
        rocksPath = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("rocks").path
        Self.deleteBridge()
        try Self.run("/usr/sbin/ip", ["link", "add", "p" + Self.bridge, "type", "veth", "peer", "name", "x" + Self.bridge])
        do {
            try provision(uris: uris, count: count, label: label)
        } catch {
            cleanUp()
            throw error
        }
    }

    private func provision(uris: [String], count: Int, label: String) throws {
        try rocks(["init", "name=bench.example.org", "public-ip=137.110.119.117"])
        for (index, uri) in uris.enumerated() {
            let container = "vm-container-0-\(index)"
            let mac = "00:14:4f:80:de:0\(index)"
            try rocks(["add", "host", "membership=VM Container", "mac=\(mac)"])
            try rocks(["remove", "host", "interface", container, "eth0"])
            try rocks(["add", "host", "interface", container, Self.bridge, "mac=\(mac)", "ip=10.1.255.\(254 - index)", "subnet=private"])
            try rocks(["set", "host", "attr", container, "libvirt_uri", uri])
        }
        try rocks(["sync", "host", "network", "vm-container-0-0", "root=\(home)", "apply=yes"])
        for index in 0..<count {
            let name = "rocks-\(label)-\(index)"
            try rocks(["add", "host", "vm", "vm-container-0-\(index % uris.count)", "membership=compute", "name=\(name)", "mem=128"])
            names.append(name)
            let file = "\(home)/\(name).xml"
            try rocks(["report", "host", "vm", "config", name]).write(toFile: file, atomically: true, encoding: .utf8)
            try? virsh("vol-delete", "--pool", "default", "\(name).vda")
            try virsh("vol-create-as", "default", "\(name).vda", "36G", "--allocation", "0", "--format", "raw")
            xmlFiles.append(file)
        }
    }

    /// Deletes the guests' volumes, the links and the ledger.
    func cleanUp() {
        for name in names { try? virsh("vol-delete", "--pool", "default", "\(name).vda") }
        Self.deleteBridge()
        try? FileManager.default.removeItem(atPath: home)
    }

    /// Runs the `rocks` executable (beside this benchmark) on this ledger.
    @discardableResult
    func rocks(_ arguments: [String]) throws -> String {
        try Self.run(rocksPath, arguments, environment: ["ROCKS_HOME": home, "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"])
    }

    func virsh(_ arguments: String...) throws { try virsh(arguments) }

    func virsh(_ arguments: [String]) throws {
        try Self.run("/usr/bin/virsh", ["-q", "-c", "qemu:///system"] + arguments)
    }

    private static func deleteBridge() {
        _ = try? run("/usr/sbin/ip", ["link", "del", "p" + bridge])
        _ = try? run("/usr/sbin/ip", ["link", "del", bridge])
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
