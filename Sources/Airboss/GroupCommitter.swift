import Executors
import Foundation
import Ledger
import Logging
import Signing

/// Concurrent owners' requests share one write transaction, one durable commit and one
/// checkpoint. Requests come verified (``Ledger/verify(_:)``, on the threads that received
/// them), so the one appending thread only decides, writes and commits: while a group's
/// commit is being made durable, the requests that arrive wait, and the next group takes all
/// of them at once, so groups grow with the load and a lone request waits for nothing. Each
/// request gets its own result: a refusal in a group does not fail its neighbours
/// (``Ledger/append(group:admitting:)``).
final class GroupCommitter: @unchecked Sendable {
    /// A request's record and its receipt (an inclusion proof against the group's
    /// checkpoint), or why it was refused.
    typealias Outcome = Result<(appended: Appended, receipt: [UInt8]), any Error>

    private let ledger: Ledger
    /// Whose ``Executor/withLedger(_:)`` is the process's one lock over the ledger.
    private let executor: Executors.Executor
    private let logger: Logger
    private let limiter: KeyRateLimiter
    private let metrics: AirbossMetrics
    private let lock = NSLock()
    private let arrived = DispatchSemaphore(value: 0)
    private var waiting: [(request: VerifiedRequest, answer: CheckedContinuation<Outcome, Never>)] = []
    /// Every group's size, logged when the Airboss stops.
    private var groupSizes: [Int] = []

    init(ledger: Ledger, executor: Executors.Executor, limiter: KeyRateLimiter, metrics: AirbossMetrics, logger: Logger) {
        self.ledger = ledger
        self.limiter = limiter
        self.metrics = metrics
        self.executor = executor
        self.logger = logger
        let thread = Thread { [unowned self] in appendForever() }
        thread.name = "airboss-appender"
        thread.start()
    }

    /// Appends `request` with whatever else is waiting, and returns once its group is durable.
    func append(_ request: VerifiedRequest) async -> Outcome {
        await withCheckedContinuation { answer in
            lock.lock()
            waiting.append((request, answer))
            lock.unlock()
            arrived.signal()
        }
    }

    private func appendForever() {
        while true {
            arrived.wait()
            lock.lock()
            let group = Array(waiting.prefix(Ledger.maximumBatchCount))
            waiting.removeFirst(group.count)
            if !group.isEmpty { groupSizes.append(group.count) }
            lock.unlock()
            // Each arrival signalled once; a group that took several leaves empty wake-ups.
            guard !group.isEmpty else { continue }
            metrics.group(size: group.count)
            let outcomes: [Outcome]
            do {
                outcomes = try executor.withLedger {
                    let appended = try ledger.append(group: group.map { .success($0.request) }) { request in limiter.take(request.envelope.key) }
                    // The group's receipts in one read, while the checkpoint is the group's own.
                    let sequences = appended.compactMap { try? $0.get().sequence }
                    var receipts = try ledger.inclusionProofs(sequences: sequences).makeIterator()
                    // One receipt per appended request, in order.
                    return appended.map { result in result.map { appended in (appended, receipts.next()!.bytes) } }
                }
            } catch {
                logger.error("airboss.group-failed", metadata: ["size": "\(group.count)", "reason": "\(error)"])
                outcomes = group.map { _ in .failure(error) }
            }
            for (member, outcome) in zip(group, outcomes) { member.answer.resume(returning: outcome) }
        }
    }

    /// The sizes of the groups committed so far.
    var sizes: [Int] {
        lock.lock()
        defer { lock.unlock() }
        return groupSizes
    }
}
