import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Writes a host's network files under a root directory. Every file is first written and
/// flushed beside its destination, and only when all are ready are they renamed into place,
/// so a failure to write (a full disk, a read-only root) leaves the old files as they were.
/// Each file is replaced atomically; the set is not (a crash between two renames leaves some
/// new files beside old ones, and the next sync finishes the job). Files an earlier
/// deployment wrote and this one no longer has are removed afterwards. A file whose bytes are
/// already right is not touched.
public struct NetworkFileWriter: Sendable {
    public let root: String

    public init(root: String) {
        self.root = root
    }

    public enum Change: Sendable, Equatable {
        case wrote(String)
        case unchanged(String)
        case removed(String)
    }

    /// Checks that `root` is a directory this process may write in.
    public func checkRoot() throws(NetworkError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw NetworkError("root \(root) is not a directory")
        }
        guard access(root, W_OK) == 0 else { throw NetworkError("root \(root) is not writable") }
    }

    public func write(_ files: [NetworkFile], removing stale: [String]) throws(NetworkError) -> [Change] {
        try checkRoot()
        var changes: [Change] = []
        var staged: [(temporary: String, destination: String)] = []
        do {
            for file in files {
                let destination = location(of: file.path)
                if FileManager.default.contents(atPath: destination) == Data(file.contents.utf8) {
                    changes.append(.unchanged(file.path))
                    continue
                }
                let directory = (destination as NSString).deletingLastPathComponent
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                // The PID keeps two syncs of one root from sharing a temporary name.
                let temporary = directory + "/." + (destination as NSString).lastPathComponent + ".rocks-new.\(getpid())"
                staged.append((temporary, destination))
                try writeDurably(Data(file.contents.utf8), to: temporary)
                changes.append(.wrote(file.path))
            }
        } catch {
            for (temporary, _) in staged { unlink(temporary) }
            throw error as? NetworkError ?? NetworkError("cannot write under \(root): \(error.localizedDescription)")
        }
        for (index, (temporary, destination)) in staged.enumerated() {
            guard rename(temporary, destination) == 0 else {
                let reason = String(cString: strerror(errno))
                for (left, _) in staged[index...] { unlink(left) }
                throw NetworkError("cannot rename \(temporary) to \(destination): \(reason)")
            }
        }
        for path in Set(staged.map { ($0.destination as NSString).deletingLastPathComponent }) { syncDirectory(path) }
        let kept = Set(files.map(\.path))
        for path in stale where !kept.contains(path) {
            let destination = location(of: path)
            if unlink(destination) == 0 {
                changes.append(.removed(path))
            } else if errno != ENOENT {
                throw NetworkError("cannot remove \(destination): \(String(cString: strerror(errno)))")
            }
        }
        return changes
    }

    /// Where `path` lives under the root.
    public func location(of path: String) -> String {
        root == "/" ? path : (root.hasSuffix("/") ? String(root.dropLast()) : root) + path
    }

    private func writeDurably(_ data: Data, to path: String) throws(NetworkError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw NetworkError("cannot create \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let written = data.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        guard written == data.count, fsync(fd) == 0 else {
            throw NetworkError("cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }

    private func syncDirectory(_ path: String) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }
}
