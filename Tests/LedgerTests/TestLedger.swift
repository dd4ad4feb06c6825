import Foundation
import Ledger
import Projections
import Signing
import TestSupport

/// A clock the test moves by hand.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Timestamp

    init(_ start: Timestamp = Timestamp(rfc3339: "2026-11-28T06:00:00Z")!) { current = start }

    var now: Timestamp { lock.withLock { current } }

    func advance(seconds: Int64) { lock.withLock { current = current.adding(seconds: seconds) } }

    var function: @Sendable () -> Timestamp { { [self] in now } }
}

/// A real ledger on disk with the domain projection, its keys, and helpers to sign requests.
struct TestLedger {
    static let frontendName = "espresso.rocksclusters.org"

    let directory: TemporaryDirectory
    let admin: PrivateKey
    let frontend: PrivateKey
    let clock: TestClock
    let ledger: Ledger

    var path: String { directory.file("ledger") }

    init(options: LMDBEnvironment.Options = .init(), clock: TestClock = TestClock()) throws {
        directory = TemporaryDirectory("ledger")
        admin = try PrivateKey.generate()
        frontend = try PrivateKey.generate()
        self.clock = clock
        let args = ["name": Self.frontendName, "public-ip": "137.110.119.117",
                    Genesis.adminKeyArgument: admin.publicKey.pem, Genesis.frontendKeyArgument: frontend.publicKey.pem]
        let envelope = RequestEnvelope(op: Genesis.op, args: args, signer: admin.publicKey, ledger: .random(), now: clock.now)
        ledger = try Ledger.create(directory: directory.file("ledger"), genesis: try SignedRequest(signing: envelope, with: admin),
                                   frontendKey: frontend, projection: DomainProjection(), options: options, clock: clock.function)
    }

    /// A request for this ledger, signed by `key` (the admin key by default).
    func request(_ op: String, _ args: [String: String], by key: PrivateKey? = nil, issued: Timestamp? = nil,
                 lifetime: Int64 = 300, ledgerID: LedgerID? = nil) throws -> SignedRequest
    {
        let signer = key ?? admin
        let envelope = RequestEnvelope(op: op, args: args, signer: signer.publicKey, ledger: ledgerID ?? ledger.id,
                                       now: issued ?? clock.now, lifetime: lifetime)
        return try SignedRequest(signing: envelope, with: signer)
    }

    func addHostKey(_ owner: PrivateKey, host: String = "espresso") throws -> SignedRequest {
        try request("add host key", ["host": host, "key": owner.publicKey.pem])
    }

    /// Appends `count` `add host key` records in batches, each with a fresh owner key.
    func fill(_ count: Int, batch: Int = 1000) throws {
        var remaining = count
        while remaining > 0 {
            let size = min(batch, remaining)
            _ = try ledger.append(batch: (0..<size).map { _ in try addHostKey(try PrivateKey.generate()) })
            remaining -= size
        }
    }

    /// The pages of `data.mdb`, without the unallocated rest of the map (`MDB_WRITEMAP`
    /// makes the file as long as the map).
    func dataFile() throws -> Data {
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path + "/data.mdb"))
        defer { try? handle.close() }
        return try handle.read(upToCount: ledger.environment.usedFileSize) ?? Data()
    }

    /// A copy of the ledger's `data.mdb` in `directory`, for a second handle: LMDB forbids two
    /// on one environment in one process.
    func copyDataFile(to directory: String) throws {
        try dataFile().write(to: URL(fileURLWithPath: directory + "/data.mdb"))
    }

    /// Opens a second handle on the same directory, as another process would.
    func reopen(_ directory: String? = nil) throws -> Ledger {
        try Ledger(directory: directory ?? path, projection: DomainProjection())
    }

    /// Every entry of every view database, for comparing views byte for byte.
    func viewContents(_ ledger: Ledger? = nil) throws -> [String: [[UInt8]]] {
        let ledger = ledger ?? self.ledger
        return try ledger.read { txn in
            var contents: [String: [[UInt8]]] = [:]
            for name in ledger.projection.viewNames + [Ledger.noncesName] {
                var entries: [[UInt8]] = []
                try txn.forEach(in: ledger.environment.database(name)) { key, value in
                    entries.append(Array(key))
                    entries.append(Array(value))
                    return true
                }
                contents[name] = entries
            }
            return contents
        }
    }
}
