import Ledger
import Signing

/// What one `rocks sync host network` wrote on a host: each file's path and SHA-256, and the
/// VLAN devices it manages, so an auditor can prove what was deployed when, and the next
/// sync knows which files and devices a removed cluster left behind.
public struct NetworkDeployment: Sendable, Equatable {
    public struct File: Sendable, Equatable {
        /// Where the host reads the file, e.g. `/etc/sysconfig/network-scripts/ifcfg-eth0`.
        public let path: String
        /// Lowercase hex SHA-256 of the file's bytes.
        public let sha256: String

        public init(path: String, sha256: String) {
            self.path = path
            self.sha256 = sha256
        }
    }

    public let host: String
    /// The directory the paths were written under (`/` on a real container).
    public let root: String
    public let files: [File]
    /// The VLAN devices the deployment configures.
    public let links: [String]
    /// The record that deployed it (0 before it is appended).
    public var sequence: UInt64 = 0

    public init(host: String, root: String, files: [File], links: [String]) {
        self.host = host
        self.root = root
        self.files = files.sorted { $0.path < $1.path }
        self.links = links.sorted()
    }

    static func key(_ host: String, _ root: String) -> String { host + "/" + root }

    /// The request arguments: files as `sha256sum` lines (so `sha256sum -c` can check a
    /// host), links separated by spaces.
    public var requestArguments: [String: String] {
        ["host": host, "root": root, "files": files.map { "\($0.sha256)  \($0.path)" }.joined(separator: "\n"),
         "links": links.joined(separator: " ")]
    }

    /// Reads and checks the arguments of a `sync host network` request.
    init(request: RequestEnvelope) throws(DomainError) {
        let host = try request.argument("host", missing: "must supply a host")
        let root = try request.argument("root", missing: "must supply root")
        guard root.hasPrefix("/"), !root.contains("\n") else { throw DomainError("root must be an absolute path") }
        var files: [File] = []
        for line in (request.args["files"] ?? "").split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0].count == 64, parts[0].allSatisfy(\.isHexDigit), parts[0].lowercased() == parts[0] else {
                throw DomainError("files must be lines of '<sha256>  <path>'")
            }
            let path = String(parts[1].dropFirst())
            guard path.hasPrefix("/"), !path.split(separator: "/").contains("..") else {
                throw DomainError("file path '\(path)' must be absolute, without '..'")
            }
            files.append(File(path: path, sha256: String(parts[0])))
        }
        guard Set(files.map(\.path)).count == files.count else { throw DomainError("a file is listed twice") }
        let links = (request.args["links"] ?? "").split(separator: " ").map(String.init)
        for link in links where link.utf8.count > 15 || link.contains("/") {
            throw DomainError("'\(link)' is not a network device name")
        }
        self.init(host: host, root: root, files: files, links: links)
    }

    /// The deployment as `sync host network` decides it: host, root, files and links.
    var decided: JSONValue {
        ["host": .string(host), "root": .string(root), "files": .array(files.map { .object(["path": .string($0.path), "sha256": .string($0.sha256)]) }),
         "links": .array(links.map { .string($0) })]
    }

    init(decided decision: FieldReader) throws {
        self.init(host: try decision.string("host"), root: try decision.string("root"),
                  files: try decision.array("files") { File(path: try $0.string("path"), sha256: try $0.string("sha256")) },
                  links: try decision.strings("links"))
    }

    /// The `network-deployments` row.
    var row: [UInt8] {
        var row = CanonicalObjectWriter()
        row.member("files", objects: files.count) { index, file in
            file.member("path", files[index].path)
            file.member("sha256", files[index].sha256)
        }
        row.member("host", host)
        row.member("links", strings: links)
        row.member("root", root)
        row.member("sequence", Int64(sequence))
        return row.finish()
    }

    /// The row holds what was decided, and the record that decided it.
    init(row: FieldReader) throws {
        try self.init(decided: row)
        sequence = UInt64(try row.integer("sequence"))
    }
}
