import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// One executor per ledger: an exclusive `flock` on a file beside it, holding the owner's
/// PID. The kernel drops the lock when its holder dies, `kill -9` included.
public final class ExecutorLock: @unchecked Sendable {
    private let fd: Int32

    /// Takes the lock, waiting for the holder to finish (`waiting` hears who that is first),
    /// or with `wait` false refusing with the holder's PID.
    init(path: String, wait: Bool = true, waiting: (String) -> Void) throws {
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw ExecutorError("cannot open the executor lock \(path): \(String(cString: strerror(errno)))") }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let holder = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            guard wait else {
                close(fd)
                throw ExecutorBusy(holder: holder.isEmpty ? nil : holder)
            }
            waiting("waiting for the executor already running\(holder.isEmpty ? "" : " as pid \(holder)")")
            while flock(fd, LOCK_EX) != 0 {
                guard errno == EINTR else {
                    close(fd)
                    throw ExecutorError("cannot lock \(path): \(String(cString: strerror(errno)))")
                }
            }
        }
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = pwrite(fd, pid, pid.count, 0)
    }

    deinit {
        _ = ftruncate(fd, 0)
        close(fd)
    }
}

/// Another executor holds the ledger's lock.
public struct ExecutorBusy: Error, CustomStringConvertible {
    /// Its PID, as it wrote it in the lock file.
    public let holder: String?

    public var description: String { "the executor is already running" + (holder.map { " as pid \($0)" } ?? "") }
}
