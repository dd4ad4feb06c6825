import Foundation
import TestSupport

/// A network namespace a test creates and deletes, so links it makes never touch the
/// machine's own. Veth pairs stand in for physical NICs and for VLAN devices (this kernel
/// has no 802.1Q).
final class NetworkNamespace: @unchecked Sendable {
    let name: String

    init() throws {
        name = "rk-" + String(UInt32.random(in: 0...UInt32.max), radix: 16)
        try Self.ip("netns", "add", name)
    }

    /// A namespace standing in for the seed's vm-container-0-0: its NIC, already renamed
    /// `peth0` (with the seed's MAC; its wire end is `wire0`), and its VLAN 2 device `peth0.2`.
    static func seedContainer() throws -> NetworkNamespace {
        let namespace = try NetworkNamespace()
        try namespace.addVeth("peth0", mac: "00:14:4f:80:de:00", peer: "wire0")
        try namespace.addVeth("peth0.2", peer: "wire0v2")
        return namespace
    }

    deinit {
        _ = try? Self.ip("netns", "del", name)
    }

    /// `ip -n <ns> <arguments>`, failing the test's step on a non-zero exit.
    @discardableResult
    func ip(_ arguments: String...) throws -> String {
        try Self.ip(["-n", name] + arguments)
    }

    /// A veth named `name` (with `mac`, when given) whose peer stays in the namespace.
    func addVeth(_ link: String, mac: String? = nil, peer: String) throws {
        var arguments = ["link", "add", link]
        if let mac { arguments += ["address", mac] }
        try Self.ip(["-n", name] + arguments + ["type", "veth", "peer", "name", peer])
    }

    /// Runs the built `rocks` inside the namespace.
    func rocks(_ home: RocksHome, _ arguments: String...) throws -> ProcessRunner.Output {
        try ProcessRunner.run("/usr/sbin/ip", ["netns", "exec", name, ProcessRunner.product("rocks")] + arguments,
                              environment: home.environment.merging(["PATH": "/usr/sbin:/usr/bin:/sbin:/bin"]) { $1 })
    }

    @discardableResult
    static func ip(_ arguments: String...) throws -> String { try ip(arguments) }

    @discardableResult
    static func ip(_ arguments: [String]) throws -> String {
        let output = try ProcessRunner.run("/usr/sbin/ip", arguments)
        guard output.status == 0 else { throw NamespaceError(message: "ip \(arguments.joined(separator: " ")): \(output.stderr)") }
        return output.stdout
    }

    struct NamespaceError: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }
}
