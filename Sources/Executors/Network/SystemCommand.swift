import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Runs a system tool (`ip`, `ethtool`) with a deadline, and turns a failure into one line
/// that quotes the command and the tool's own message.
///
/// Spawns with `posix_spawn` and reads with `poll` rather than Foundation's `Process`, whose
/// run loop needs a loopback socket pair: in a fresh network namespace `lo` is down and
/// `Process` never sees its child exit.
struct SystemCommand: Sendable {
    let executable: String
    /// Seconds before the tool is killed: nothing `sync host network` asks of the kernel
    /// takes more than a moment, so a hang means something is wrong.
    var timeout: Double = 20
    /// More output than any `ip -json` of a container's links; a tool that writes more is stopped.
    static let outputLimit = 16 << 20

    var name: String { executable.split(separator: "/").last.map(String.init) ?? executable }

    @discardableResult
    func run(_ arguments: [String]) throws(NetworkError) -> String {
        let commandLine = ([name] + arguments).joined(separator: " ")
        var outPipe: [Int32] = [-1, -1]
        var errPipe: [Int32] = [-1, -1]
        // Close-on-exec, so other children never hold these pipes open.
        guard pipe(&outPipe) == 0, pipe(&errPipe) == 0,
              (outPipe + errPipe).allSatisfy({ fcntl($0, F_SETFD, FD_CLOEXEC) == 0 }) else {
            let reason = String(cString: strerror(errno))
            for fd in outPipe + errPipe where fd >= 0 { close(fd) }
            throw NetworkError("cannot run \(commandLine): \(reason)")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        // SIGPIPE at its default: `rocks` ignores it (BrokenPipes), and an ignored signal
        // would stay ignored in the tool.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF))
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        close(outPipe[1])
        close(errPipe[1])
        defer {
            close(outPipe[0])
            close(errPipe[0])
        }
        guard spawned == 0 else { throw NetworkError("cannot run \(commandLine): \(String(cString: strerror(spawned)))") }

        var stdout: [UInt8] = []
        var stderr: [UInt8] = []
        let deadline = Date().addingTimeInterval(timeout)
        var open = [outPipe[0], errPipe[0]]
        var buffer = [UInt8](repeating: 0, count: 65536)
        while !open.isEmpty {
            let remaining = deadline.timeIntervalSinceNow
            var fds = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            let ready = remaining > 0 ? poll(&fds, nfds_t(fds.count), Int32(remaining * 1000) + 1) : 0
            if ready < 0, errno == EINTR { continue }
            let problem = ready < 0 ? "cannot be read: \(String(cString: strerror(errno)))"
                : ready == 0 ? "did not finish within \(Int(timeout)) s"
                : stdout.count + stderr.count > Self.outputLimit ? "wrote more than \(Self.outputLimit >> 20) MiB" : nil
            if let problem {
                kill(pid, SIGKILL)
                _ = Self.wait(pid)
                throw NetworkError("\(commandLine) \(problem)")
            }
            for entry in fds where entry.revents != 0 {
                let count = read(entry.fd, &buffer, buffer.count)
                if count > 0 {
                    if entry.fd == outPipe[0] { stdout += buffer[..<count] } else { stderr += buffer[..<count] }
                } else if count == 0 || errno != EINTR {
                    open.removeAll { $0 == entry.fd }
                }
            }
        }
        let status = Self.wait(pid)
        guard status == 0 else {
            let reason = String(decoding: stderr, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            let firstLine = reason.split(separator: "\n").first.map(String.init) ?? "exit status \(status)"
            throw NetworkError("\(commandLine) failed: \(firstLine)")
        }
        return String(decoding: stdout, as: UTF8.self)
    }

    /// The child's exit status, or 128 + the signal that ended it.
    private static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }

    /// The tool in the usual places: Debian keeps `ip` in /usr/sbin, older systems in /sbin.
    static func locate(_ name: String) -> SystemCommand {
        let found = ["/usr/sbin/", "/sbin/", "/usr/bin/", "/bin/"].map { $0 + name }.first { access($0, X_OK) == 0 }
        return SystemCommand(executable: found ?? "/usr/sbin/" + name)
    }
}
