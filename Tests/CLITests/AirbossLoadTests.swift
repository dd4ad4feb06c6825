import AirbossClient
import Foundation
import Ledger
import Signing
import Testing
import TestSupport

/// The Airboss under concurrent owners: requests from many clients at once share commits
/// (``GroupCommitter``), and every one acknowledged is in the ledger exactly once.
@Suite(.serialized, .tags(.slow), .notInFastRuns) struct AirbossLoadTests {
    static let clients = 200
    static let requestsPerClient = 50

    @Test func twoHundredClientsOfFiftyRequestsEachAreEachInTheLedgerOnce() throws {
        let home = try RocksHome.seeded()
        #expect(home.run("add", "cluster", "ip=137.110.119.118", "num-computes=2").status == 0)
        let keys = try (0..<Self.clients).map { _ in try PrivateKey.generate() }
        for key in keys { #expect(home.run("add", "host", "key", "frontend-0-0-0", "key=\(key.publicKey.pem)").status == 0) }
        // A raised limit: each key sends its 50 at once.
        let airboss = try AirbossHarness(home: home, executor: "no", settings: ["burst=\(Self.requestsPerClient)"])
        defer { airboss.stop() }
        let known = KnownFrontends(path: airboss.user.file("known_frontends"))
        let client = try AirbossClient(address: airboss.address, known: known, serverKey: nil, receipts: airboss.user.file("receipts"), notice: { _ in })
        // Pinned once, before the crowd.
        _ = try client.send("list host macs", ["host": "frontend-0-0-0", "status": "no"], key: keys[0])

        let crowd = OwnerCrowd(client: client, keys: keys, host: "frontend-0-0-0", requests: Self.requestsPerClient)
        crowd.wait()
        #expect(crowd.failures.isEmpty, "\(crowd.failures.prefix(3))")
        #expect(crowd.acknowledged.count == Self.clients * Self.requestsPerClient)
        try crowd.expectEachAcknowledgedOnce(in: home)
        let ledger = try home.ledger()
        #expect(home.run("ledger", "verify").status == 0)
        // The crowd shared commits: fewer checkpoints than records.
        let report = try ledger.verify()
        #expect(report.checkpoints < report.records, "\(report.checkpoints) checkpoints for \(report.records) records")
    }
}
