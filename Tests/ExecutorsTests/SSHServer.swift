import Foundation
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// An OpenSSH server the test owns, in front of this machine's libvirtd the way a VM
/// container is reached on a real frontend (`qemu+ssh://`). It listens on a free port on
/// 127.0.0.1 only and lets in root with one key the test makes, and nothing else. Its keys,
/// config and log are in a temporary directory. `stop()` ends it (connections are refused);
/// `deinit` stops it too.
final class SSHServer: @unchecked Sendable {
    let directory = TemporaryDirectory("sshd")
    let port: Int
    private var pid: pid_t = 0
    private var running = false

    init() throws {
        // sshd's privilege separation needs this directory; it is not there until an sshd has run.
        try FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true)
        for key in ["host_key", "client_key"] {
            let made = try ProcessRunner.run("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", key, "-f", directory.file(key)])
            guard made.status == 0 else { throw TestFailure("ssh-keygen: \(made.stderr)") }
        }
        try FileManager.default.copyItem(atPath: directory.file("client_key.pub"), toPath: directory.file("authorized_keys"))
        port = try Self.freeLoopbackPort()
        // StrictModes no: sshd refuses an authorized_keys file below a world-writable directory
        // (/tmp), and this one is the test's own, in a directory only root can read.
        let config = """
            Port \(port)
            ListenAddress 127.0.0.1
            HostKey \(directory.file("host_key"))
            AuthorizedKeysFile \(directory.file("authorized_keys"))
            PidFile none
            AllowUsers root
            PermitRootLogin prohibit-password
            AuthenticationMethods publickey
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            UsePAM no
            StrictModes no

            """
        try config.write(toFile: directory.file("sshd_config"), atomically: true, encoding: .utf8)
        // The ssh libvirt runs (its `command=` parameter): no user or system configuration, no
        // known_hosts read or written, and never a prompt.
        let ssh = """
            #!/bin/sh
            exec /usr/bin/ssh -F none -o UserKnownHostsFile=/dev/null -o GlobalKnownHostsFile=/dev/null \\
                -o BatchMode=yes -o LogLevel=ERROR "$@"

            """
        try ssh.write(toFile: directory.file("ssh"), atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.file("ssh"))

        pid = try Self.spawn(["/usr/sbin/sshd", "-D", "-e", "-f", directory.file("sshd_config")], log: directory.file("sshd.log"))
        running = true
        for _ in 0..<100 {
            // sshd ended (a bad config, a taken port): reaped here, so there is nothing to stop.
            if waitpid(pid, nil, WNOHANG) != 0 {
                running = false
                break
            }
            if try ProcessRunner.run("/usr/bin/ss", ["-ltnH"]).stdout.contains("127.0.0.1:\(port) ") { return }
            usleep(50_000)
        }
        stop()
        throw TestFailure("sshd did not listen on 127.0.0.1:\(port): \(log)")
    }

    deinit { stop() }

    /// A container's `libvirt_uri` that reaches this machine's libvirtd through this server.
    var libvirtURI: String {
        "qemu+ssh://root@127.0.0.1:\(port)/system?keyfile=\(directory.file("client_key"))&no_verify=1&no_tty=1&command=\(directory.file("ssh"))"
    }

    /// What sshd said: which keys it accepted, and why it refused.
    var log: String { (try? String(contentsOfFile: directory.file("sshd.log"), encoding: .utf8)) ?? "" }

    /// Ends the server and every session it serves.
    func stop() {
        guard running else { return }
        running = false
        // SIGKILL: the test runner's children inherit its blocked SIGTERM. Sessions are the
        // listener's children: they go first, while they are still its children.
        _ = try? ProcessRunner.run("/usr/bin/pkill", ["-KILL", "-P", String(pid)])
        kill(pid, SIGKILL)
        waitpid(pid, nil, 0)
    }

    /// Starts `argv` with stdin and stdout on /dev/null and stderr to `log`. Not Foundation's
    /// `Process`: sshd closes every descriptor it did not open, among them the socket through
    /// which `Process` learns that its child has ended. `Process` then waits for sshd to end,
    /// and no other child's end is seen until sshd ends.
    private static func spawn(_ argv: [String], log: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, log, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let arguments = argv.map { strdup($0) } + [nil]
        defer { arguments.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, argv[0], &actions, nil, arguments, environ)
        guard spawned == 0 else { throw TestFailure("cannot run \(argv[0]): \(String(cString: strerror(spawned)))") }
        return pid
    }

    /// A port nothing listens on: the kernel picks one for a socket bound to port 0.
    static func freeLoopbackPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("socket: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = in_addr_t(0x7f00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw TestFailure("cannot bind 127.0.0.1:0: \(String(cString: strerror(errno)))") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
