import AirbossAPI
import AirbossClient
import Foundation
import Ledger
import Signing
import Testing
import TestSupport
import Transparency

/// The Airboss stopped in the middle of a crowd's requests, gracefully and by `kill -9`:
/// nothing it acknowledged is lost, and after a crash the ledger verifies and every receipt
/// a client kept is still proven, through a consistency proof to the newest checkpoint.
@Suite(.serialized, .tags(.slow), .notInFastRuns) struct AirbossStopUnderLoadTests {
    static let clients = 32

    /// A seeded home with a cluster, a key per client on its frontend, its Airboss (limit
    /// raised), and a client pinned to it.
    final class Crowded: @unchecked Sendable {
        let home: RocksHome
        let keys: [PrivateKey]
        let airboss: AirbossHarness
        let client: AirbossClient

        init() throws {
            home = try RocksHome.seeded()
            #expect(home.run("add", "cluster", "ip=137.110.119.118", "num-computes=2").status == 0)
            keys = try (0..<AirbossStopUnderLoadTests.clients).map { _ in try PrivateKey.generate() }
            for key in keys { #expect(home.run("add", "host", "key", "frontend-0-0-0", "key=\(key.publicKey.pem)").status == 0) }
            airboss = try AirbossHarness(home: home, executor: "no", settings: ["rate=100000", "burst=100000"])
            let known = KnownFrontends(path: airboss.user.file("known_frontends"))
            client = try AirbossClient(address: airboss.address, known: known, serverKey: nil, receipts: airboss.user.file("receipts"), notice: { _ in })
            _ = try client.send("list host macs", ["host": "frontend-0-0-0", "status": "no"], key: keys[0])
        }

        /// The crowd, once it has had at least 300 answers.
        func crowdUnderWay() -> OwnerCrowd {
            let crowd = OwnerCrowd(client: client, keys: keys, host: "frontend-0-0-0")
            crowd.waitForAnswers(300)
            return crowd
        }
    }

    @Test func sigtermUnderLoadLosesNothingAcknowledged() throws {
        let setup = try Crowded()
        let crowd = setup.crowdUnderWay()
        let pid = try #require(setup.airboss.pidFile?.pid)
        // `rocks stop service airboss`: SIGTERM, then it waits for the process to end.
        let stopped = try AirbossHarness.rocks(setup.home, ["stop", "service", "airboss"])
        #expect(stopped.status == 0 && stopped.stdout.contains("airboss stopped (pid \(pid))"), "\(stopped.stderr)")
        crowd.wait()
        #expect(crowd.acknowledged.count >= 300)
        #expect(crowd.failures.count == AirbossStopUnderLoadTests.clients, "each client stops at its first refused connection")
        try crowd.expectEachAcknowledgedOnce(in: setup.home)
        #expect(setup.home.run("ledger", "verify").status == 0)
        // Its log says how many requests it committed before it stopped.
        let log = try String(contentsOfFile: setup.home.path + "/airboss.log", encoding: .utf8)
        #expect(log.contains("airboss.stopped"))
    }

    @Test func killDashNineUnderLoadLosesNothingAcknowledgedAndEveryReceiptStillProves() throws {
        let setup = try Crowded()
        let crowd = setup.crowdUnderWay()
        let pid = try #require(setup.airboss.pidFile?.pid)
        #expect(kill(pid, SIGKILL) == 0)
        crowd.wait()
        let acknowledged = crowd.acknowledged
        #expect(acknowledged.count >= 300)

        // After the crash: the ledger verifies, and holds everything acknowledged.
        let verified = setup.home.run("ledger", "verify")
        #expect(verified.status == 0, "\(verified.stderr)")
        try crowd.expectEachAcknowledgedOnce(in: setup.home)

        // A restarted Airboss appends on top, making a newer checkpoint.
        let restarted = try AirbossHarness(home: setup.home, executor: "no")
        defer { restarted.stop() }
        let after = try AirbossClient(address: restarted.address, known: setup.client.known, serverKey: nil,
                                      receipts: restarted.user.file("receipts"), notice: { _ in })
        let newest = try after.send("list host macs", ["host": "frontend-0-0-0", "status": "no"], key: setup.keys[1])

        // Every receipt the clients kept checks out on its own, and its checkpoint is
        // consistent with the newest one: the log only grew across the crash.
        let ledger = try setup.home.ledger()
        let frontendKey = ledger.genesis.frontendKey
        var checkpoints: [[UInt8]: SignedNote] = [:]
        for answer in acknowledged {
            let receipt = try Receipt(parsing: Array(try Data(contentsOf: URL(fileURLWithPath: answer.receiptPath))))
            let checked = try receipt.check(frontendKey: frontendKey, ledger: ledger.id)
            #expect(checked.record.sequence == answer.sequence && checked.record.nonce == answer.nonce)
            checkpoints[receipt.proof.checkpoint.bytes] = receipt.proof.checkpoint
        }
        #expect(checkpoints.count > 1, "the crowd's receipts name several groups' checkpoints")
        for old in checkpoints.values {
            let key = try Receipt.verifierKey(for: old, frontendKey: frontendKey, ledger: ledger.id)
            let proof = try ledger.consistencyProof(from: old)
            let (from, to) = try proof.verify(old: old, key: key)
            #expect(from.size <= to.size && to.size == newest.checkpoint.size, "\(from.size) to \(to.size)")
        }
    }
}
