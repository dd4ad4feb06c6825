import CLI
import Ledger
import Projections
import Foundation
import Signing
import Testing

/// A `$ROCKS_HOME` in a temporary directory, and `rocks` run in-process against it.
public final class RocksHome: @unchecked Sendable {
    public let directory = TemporaryDirectory("home")
    public var path: String { directory.path }
    /// Containers without a `libvirt_uri` attribute reach libvirt's in-process test driver,
    /// where no domain of ours exists: removals' stop/undefine effects succeed at once.
    /// Tests of real VMs give their containers `libvirt_uri=qemu:///system`.
    public var environment: [String: String] { ["ROCKS_HOME": path, "ROCKS_LIBVIRT_URI": "test:///default"] }

    public init() {}

    /// Runs `rocks <arguments>`; no terminal, so passphrases come from files.
    @discardableResult
    public func run(_ arguments: String...) -> RocksCLI.Result { run(arguments) }

    @discardableResult
    public func run(_ arguments: [String]) -> RocksCLI.Result {
        RocksCLI.run(arguments, context: CommandContext(environment: environment, passphrasePrompt: { _ in nil }))
    }

    /// A home after `rocks init` for the seed's frontend.
    public static func initialised() throws -> RocksHome {
        let home = RocksHome()
        let result = home.run("init", "name=espresso.rocksclusters.org", "public-ip=137.110.119.117")
        #expect(result.status == 0, "\(result.stderr)")
        return home
    }

    /// A home holding the seed guide's two VM containers.
    public static func seeded() throws -> RocksHome {
        let home = try initialised()
        for mac in ["00:14:4f:80:de:00", "00:14:4f:80:de:01"] {
            let added = home.run("add", "host", "membership=VM Container", "mac=\(mac)")
            #expect(added.status == 0, "\(added.stderr)")
        }
        return home
    }

    public var head: String { run("ledger", "head").stdout }

    /// This home's ledger, opened to read (no keys loaded).
    public func ledger() throws -> Ledger {
        try Ledger(directory: path + "/ledger", projection: DomainProjection())
    }

    /// Rewrites in place every stored version (deletions aside) of the rows of `views` whose
    /// text key is `key` (every row when nil) with `change`, as another build's layout or a
    /// damaged disk would leave them, behind the ledger's back. Returns how many it rewrote.
    @discardableResult
    public func rewriteRows(of views: [String], key: String? = nil, _ change: (inout JSONObject) -> Void) throws -> Int {
        let ledger = try ledger()
        // A stored key is the text key, a zero byte and the version.
        let versionsOfKey = key.map { Array($0.utf8) + [0] }
        var rewritten = 0
        try ledger.environment.write { txn in
            for name in views {
                let database = ledger.environment.database(name)
                var rows: [([UInt8], [UInt8])] = []
                try txn.forEach(in: database) { stored, value in
                    let matches = versionsOfKey.map { stored.starts(with: $0) } ?? true
                    if matches, !value.isEmpty { rows.append((Array(stored), Array(value))) }
                    return true
                }
                for (stored, value) in rows {
                    guard case .object(var members) = try CanonicalJSON.decode(value) else { continue }
                    change(&members)
                    try txn.put(database, stored, CanonicalJSON.encode(.object(members)))
                    rewritten += 1
                }
            }
        }
        return rewritten
    }

    /// Asks the live views a question.
    public func read<T>(_ body: (DomainReader, borrowing Transaction) throws -> T) throws -> T {
        let ledger = try ledger()
        let reader = DomainReader(environment: ledger.environment)
        return try ledger.read { txn in try body(reader, txn) }
    }

    /// Records a `succeeded` outcome for every pending effect, signed by the frontend key,
    /// as an executor does once it has done the work.
    public func succeedPendingEffects() throws {
        try recordPendingEffects(status: "succeeded")
    }

    /// Records an outcome for every pending effect, signed by the frontend key, as an
    /// executor does.
    public func recordPendingEffects(status: String, message: String? = nil) throws {
        let (ledger, frontend) = try appendingLedger()
        let reader = DomainReader(environment: ledger.environment)
        for effect in try ledger.read({ txn in try reader.effects(in: txn) }) where effect.status == .pending {
            var args = ["effect": effect.id.description, "status": status]
            args["message"] = message
            let envelope = RequestEnvelope(op: "record outcome", args: args, signer: frontend.publicKey, ledger: ledger.id, now: .now())
            _ = try ledger.append(try SignedRequest(signing: envelope, with: frontend))
        }
    }

    /// Appends a request signed by the private key in `keyFile` (unencrypted), as the Airboss
    /// appends an owner's: a denial is recorded and returned, not thrown.
    @discardableResult
    public func append(_ op: String, _ args: [String: String], signedWith keyFile: String) throws -> Appended {
        let key = try PrivateKey(pem: String(contentsOfFile: keyFile, encoding: .utf8))
        let ledger = try appendingLedger().ledger
        let envelope = RequestEnvelope(op: op, args: args, signer: key.publicKey, ledger: ledger.id, now: .now())
        return try ledger.append(try SignedRequest(signing: envelope, with: key))
    }

    /// This home's ledger opened with the frontend key, which appending needs (it signs each
    /// commit's checkpoint), and the key.
    private func appendingLedger() throws -> (ledger: Ledger, frontend: PrivateKey) {
        let frontend = try PrivateKey(pem: String(contentsOfFile: path + "/keys/frontend.pem", encoding: .utf8))
        return (try Ledger(directory: path + "/ledger", projection: DomainProjection(), frontendKey: frontend), frontend)
    }

    public func write(_ text: String, _ name: String, mode: Int = 0o644) throws -> String {
        let path = directory.file(name)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        return path
    }

    public func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }
}

/// The contract for bad input: exit status 1, nothing on stdout, exactly one line
/// `error - …` on stderr mentioning `fragment`.
public func expectOneErrorLine(_ result: RocksCLI.Result, _ fragment: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(result.status == 1, sourceLocation: sourceLocation)
    #expect(result.stdout.isEmpty, "stdout: \(result.stdout)", sourceLocation: sourceLocation)
    let lines = result.stderr.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines.count == 2 && lines[1].isEmpty, "stderr: \(result.stderr)", sourceLocation: sourceLocation)
    #expect(result.stderr.hasPrefix("error - "), sourceLocation: sourceLocation)
    #expect(result.stderr.contains(fragment), "expected '\(fragment)' in: \(result.stderr)", sourceLocation: sourceLocation)
}
