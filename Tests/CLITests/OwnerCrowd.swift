import AirbossClient
import Foundation
import Ledger
import Signing
import Testing
import TestSupport

/// Owners at once, each on a thread of its own with a key of its own, sending `list host
/// macs` through one `AirbossClient`; and what each was told. A client stops at its first
/// error: after a stop or a crash, the rest of its requests would fail the same way.
final class OwnerCrowd: @unchecked Sendable {
    struct Answer {
        let sequence: UInt64
        let nonce: Nonce
        let receiptPath: String
    }

    private let lock = NSLock()
    private var answers: [Answer] = []
    private var errors: [String] = []
    private let done = DispatchGroup()

    /// Starts the clients; each sends `requests` requests, or until its first error.
    init(client: AirbossClient, keys: [PrivateKey], host: String, requests: Int = .max) {
        for key in keys {
            done.enter()
            Thread { [self] in
                defer { done.leave() }
                for _ in 0..<requests {
                    do {
                        let reply = try client.send("list host macs", ["host": host, "status": "no"], key: key)
                        lock.withLock { answers.append(Answer(sequence: reply.record.sequence, nonce: reply.record.nonce, receiptPath: reply.receiptPath)) }
                    } catch {
                        lock.withLock { errors.append("\(error)") }
                        return
                    }
                }
            }.start()
        }
    }

    /// Waits until every client has finished.
    func wait() { done.wait() }

    /// Waits until at least `count` requests were acknowledged (or 60 seconds passed).
    func waitForAnswers(_ count: Int) {
        for _ in 0..<600 where acknowledged.count < count { Thread.sleep(forTimeInterval: 0.1) }
    }

    var acknowledged: [Answer] { lock.withLock { answers } }
    var failures: [String] { lock.withLock { errors } }

    /// Expects every acknowledged request in `home`'s ledger exactly once, under the sequence
    /// its answer named.
    func expectEachAcknowledgedOnce(in home: RocksHome, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let answered = acknowledged
        #expect(Set(answered.map(\.sequence)).count == answered.count, "two answers name one record", sourceLocation: sourceLocation)
        var nonces: [UInt64: Nonce] = [:]
        try home.ledger().forEachRecord { record in
            nonces[record.sequence] = record.nonce
            return true
        }
        let missing = answered.filter { nonces[$0.sequence] != $0.nonce }
        #expect(missing.isEmpty, "\(missing.count) acknowledged requests are not in the ledger", sourceLocation: sourceLocation)
        #expect(Set(nonces.values).count == nonces.count, "a request is in the ledger twice", sourceLocation: sourceLocation)
    }
}
