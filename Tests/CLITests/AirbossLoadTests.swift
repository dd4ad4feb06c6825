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
        let airboss = try AirbossHarness(home: home, executor: "no")
        defer { airboss.stop() }
        let known = KnownFrontends(path: airboss.user.file("known_frontends"))
        let client = try AirbossClient(address: airboss.address, known: known, serverKey: nil, receipts: airboss.user.file("receipts"), notice: { _ in })
        // Pinned once, before the crowd.
        _ = try client.send("list host macs", ["host": "frontend-0-0-0", "status": "no"], key: keys[0])

        let acknowledged = Acknowledged()
        let done = DispatchGroup()
        for key in keys {
            done.enter()
            Thread {
                defer { done.leave() }
                for _ in 0..<Self.requestsPerClient {
                    do {
                        let reply = try client.send("list host macs", ["host": "frontend-0-0-0", "status": "no"], key: key)
                        acknowledged.add(reply.record.sequence, reply.record.nonce)
                    } catch {
                        acknowledged.fail("\(error)")
                    }
                }
            }.start()
        }
        done.wait()
        #expect(acknowledged.failures.isEmpty, "\(acknowledged.failures.prefix(3))")
        let answered = acknowledged.all
        #expect(answered.count == Self.clients * Self.requestsPerClient)
        #expect(Set(answered.map(\.sequence)).count == answered.count, "two answers name one record")

        // Each acknowledged request's record holds its nonce, and no request is there twice.
        let ledger = try home.ledger()
        var nonces: [UInt64: Nonce] = [:]
        var lists = 0
        try ledger.forEachRecord { record in
            if record.op == "list host macs" {
                lists += 1
                nonces[record.sequence] = record.nonce
            }
            return true
        }
        #expect(lists == answered.count + 1)
        #expect(answered.allSatisfy { nonces[$0.sequence] == $0.nonce })
        #expect(Set(nonces.values).count == nonces.count)
        #expect(home.run("ledger", "verify").status == 0)
        // The crowd shared commits: fewer checkpoints than records.
        let report = try ledger.verify()
        #expect(report.checkpoints < report.records, "\(report.checkpoints) checkpoints for \(report.records) records")
    }
}

/// What the clients were told, gathered from their threads.
private final class Acknowledged: @unchecked Sendable {
    private let lock = NSLock()
    private var answers: [(sequence: UInt64, nonce: Nonce)] = []
    private var errors: [String] = []

    func add(_ sequence: UInt64, _ nonce: Nonce) { lock.withLock { answers.append((sequence, nonce)) } }
    func fail(_ error: String) { lock.withLock { errors.append(error) } }
    var all: [(sequence: UInt64, nonce: Nonce)] { lock.withLock { answers } }
    var failures: [String] { lock.withLock { errors } }
}
