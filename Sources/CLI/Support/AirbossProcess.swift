import RocksGrammar

#if canImport(Glibc)
import Glibc
#endif

/// The Airboss as a process of `$ROCKS_HOME`: one at a time (`airboss.lock`, held for its
/// life), its pid and address in `airboss.pid` once it listens, its log in `airboss.log`.
struct AirbossProcess {
    let home: String

    var lockPath: String { home + "/airboss.lock" }
    var pidPath: String { home + "/airboss.pid" }
    var logPath: String { home + "/airboss.log" }

    /// The lock every Airboss holds while it runs; nil when another holds it.
    func takeLock() throws(CLIError) -> Int32? {
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw CLIError("cannot open \(lockPath): \(String(cString: strerror(errno)))") }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            return nil
        }
        return fd
    }

    /// Whether an Airboss holds the lock now.
    var isRunning: Bool {
        guard let fd = try? takeLock() else { return access(lockPath, F_OK) == 0 }
        close(fd)
        return false
    }

    /// The pid, address and metrics address the running Airboss wrote, if any.
    func listening() -> (pid: pid_t, address: String, metrics: String?)? {
        guard let bytes = try? KeyFiles.read(pidPath, limit: 256) else { return nil }
        let fields = String(decoding: bytes, as: UTF8.self).split(whereSeparator: \.isWhitespace)
        guard (2...3).contains(fields.count), let pid = pid_t(fields[0]) else { return nil }
        return (pid, String(fields[1]), fields.count == 3 ? String(fields[2]) : nil)
    }

    func writePid(address: String, metrics: String?) throws {
        try KeyFiles.writeAtomically(Array("\(getpid()) \(address)\(metrics.map { " \($0)" } ?? "")\n".utf8), to: pidPath)
    }

    func removePid() { unlink(pidPath) }

    /// Starts `rocks start service airboss … foreground=yes` in a session of its own, its
    /// output appended to the log, and waits until it listens or ends.
    func spawn(arguments: [String]) throws -> (pid: pid_t, address: String, metrics: String?) {
        removePid()
        let log = open(logPath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard log >= 0 else { throw CLIError("cannot open \(logPath): \(String(cString: strerror(errno)))") }
        defer { close(log) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, log, 1)
        posix_spawn_file_actions_adddup2(&actions, log, 2)
        // Nothing else of this process's: a pipe it inherited would never see its end.
        for fd in Self.openDescriptors() where fd > 2 { posix_spawn_file_actions_addclose(&actions, fd) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // POSIX_SPAWN_SETSID (glibc), which Swift does not import: a session of its own.
        posix_spawnattr_setflags(&attributes, 0x80)
        let executable = "/proc/self/exe"
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        // Its log holds a line per request unless ROCKS_LOG_LEVEL says otherwise.
        setenv("ROCKS_LOG_LEVEL", "info", 0)
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        guard spawned == 0 else { throw CLIError("cannot start the Airboss: \(String(cString: strerror(spawned)))") }
        for _ in 0..<300 {
            if let listening = listening(), listening.pid == pid { return listening }
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                throw CLIError("the Airboss stopped at once: \(lastLogLine() ?? "see \(logPath)")")
            }
            usleep(50_000)
        }
        throw CLIError("the Airboss (pid \(pid)) did not start listening within 15 seconds: see \(logPath)")
    }

    /// This process's open file descriptors.
    private static func openDescriptors() -> [Int32] {
        guard let directory = opendir("/proc/self/fd") else { return [] }
        var descriptors: [Int32] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if let fd = Int32(name), fd != dirfd(directory) { descriptors.append(fd) }
        }
        closedir(directory)
        return descriptors
    }

    /// The last line the Airboss logged that says why, for a start that failed.
    func lastLogLine() -> String? {
        guard let bytes = try? KeyFiles.read(logPath, limit: 64 << 20) else { return nil }
        let line = String(decoding: bytes, as: UTF8.self).split(separator: "\n").last.map(String.init)
        return line.map { $0.hasPrefix("error - ") ? String($0.dropFirst(8)) : $0 }
    }
}
