import Foundation

/// Where a running VM's VNC server listens, and how the frontend reaches it.
///
/// Each VM's VNC server listens only on a UNIX socket libvirt makes for it
/// (`<graphics type='vnc'><listen type='socket'/></graphics>`), in the domain's own directory
/// under `/var/lib/libvirt/qemu`, which only root and the QEMU user may enter; never on TCP.
/// The socket's path changes with every start, so it is read from the running domain each
/// time a viewer connects: a VM powered off and on is reached again without the owner doing
/// anything.
public struct ConsoleEndpoint: Sendable, Equatable {
    /// How the socket is reached from the frontend.
    public enum Route: Sendable, Equatable {
        /// The container's libvirtd runs on this machine: the socket is opened directly.
        case local
        /// Through `ssh` to the container, which runs `socat` to the socket.
        case ssh(SSHDestination)
    }

    public let socket: String
    public let route: Route

    /// The console of `vm` (by libvirt UUID) on the container reached at `uri`.
    public static func find(vm: String, uuid: String, uri: String, timeout: Double = 5) throws -> ConsoleEndpoint {
        let route = try Self.route(uri)
        let connection = try HypervisorConnection(uri: uri, timeout: timeout)
        guard let domain = try connection.domain(uuid: uuid), try domain.state() != .shutoff else {
            throw ExecutorError("\(vm) is not running: its console opens once it is started")
        }
        guard let socket = Self.socket(inLiveXML: try domain.xml()) else {
            throw ExecutorError("\(vm) has no VNC console on a UNIX socket: stop and start it again so its definition is renewed")
        }
        return ConsoleEndpoint(socket: socket, route: route)
    }

    /// The VNC socket in a running domain's XML.
    public static func socket(inLiveXML xml: String) -> String? {
        guard let graphics = xml.range(of: "<graphics type='vnc'") else { return nil }
        let element = xml[graphics.upperBound...].prefix { $0 != ">" }
        guard let attribute = element.range(of: "socket='") else { return nil }
        let path = element[attribute.upperBound...].prefix { $0 != "'" }
        return path.hasPrefix("/") ? String(path) : nil
    }

    /// How a container at `uri` is reached: directly when libvirtd is this machine's, through
    /// ssh for `qemu+ssh://`. Other transports carry no stream to a UNIX socket.
    public static func route(_ uri: String) throws -> Route {
        guard let components = URLComponents(string: uri), let scheme = components.scheme else {
            throw ExecutorError("cannot read the libvirt URI \(uri)")
        }
        switch scheme {
        case "qemu", "test":
            guard components.host?.isEmpty ?? true else { throw ExecutorError("consoles need a local libvirtd or qemu+ssh://, not \(uri)") }
            return .local
        case "qemu+ssh":
            return .ssh(try SSHDestination(components))
        default:
            throw ExecutorError("consoles need ssh to the container: \(scheme):// carries no stream to the VM's console socket; use qemu+ssh:// for \(components.host ?? uri)")
        }
    }
}

/// An ssh destination as libvirt reads it from a `qemu+ssh://` URI: user, host, port, and the
/// `keyfile`, `no_verify` and `command` (the ssh binary) parameters.
public struct SSHDestination: Sendable, Equatable {
    public let user: String?
    public let host: String
    public let port: Int?
    public let keyfile: String?
    public let verifyHostKey: Bool
    public let command: String

    init(_ components: URLComponents) throws {
        guard let host = components.host, !host.isEmpty else { throw ExecutorError("a qemu+ssh:// URI needs a host") }
        self.host = host
        self.user = components.user
        self.port = components.port
        let query = Dictionary((components.queryItems ?? []).map { ($0.name, $0.value ?? "") }) { first, _ in first }
        self.keyfile = query["keyfile"]
        self.verifyHostKey = query["no_verify"] != "1"
        self.command = query["command"] ?? "ssh"
    }

    /// `ssh … <destination> socat STDIO UNIX-CONNECT:<socket>`: what carries one console
    /// connection. Batch mode: nobody is there to answer a prompt.
    public func arguments(connectingTo socket: String) -> [String] {
        var arguments = ["-o", "BatchMode=yes", "-o", "ConnectTimeout=10", "-e", "none", "-T"]
        if let port { arguments += ["-p", String(port)] }
        if let keyfile { arguments += ["-i", keyfile] }
        if !verifyHostKey { arguments += ["-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null"] }
        arguments.append(user.map { "\($0)@\(host)" } ?? host)
        arguments += ["socat", "STDIO", "UNIX-CONNECT:\(socket)"]
        return arguments
    }
}
