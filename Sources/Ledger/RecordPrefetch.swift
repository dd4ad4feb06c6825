import Dispatch
import Synchronization

/// Parses stored records on a second thread, a few batches ahead of the fold that consumes
/// them, so that parsing (the request's JSON) and folding (the views) overlap on two cores.
///
/// The producer reads in its own read-only transaction, which LMDB allows beside the
/// consumer's write transaction (the environment is opened with `MDB_NOTLS`). Records are
/// only read here, never written, so both see the same log.
final class RecordPrefetch: Sendable {
    /// Records per hand-over: large enough that the semaphores cost nothing per record.
    static let batchCount = 256
    /// Batches parsed ahead at most, which bounds the memory held.
    static let batchesAhead = 8

    private enum Item: Sendable {
        case batch([Record])
        case failure(LedgerError)
        case end
    }

    private let free = DispatchSemaphore(value: RecordPrefetch.batchesAhead)
    private let filled = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private let items = Mutex<[Item]>([])
    private let stopped = Atomic<Bool>(false)

    /// Starts parsing every record of `records`, in order, with `checks`.
    init(environment: LMDBEnvironment, records: Database, checks: Record.Checks) {
        DispatchQueue.global().async { [self] in
            defer { finished.signal() }
            do {
                try environment.read { txn in
                    var batch: [Record] = []
                    batch.reserveCapacity(Self.batchCount)
                    try txn.forEach(in: records) { _, value in
                        batch.append(try Record(stored: value, checks: checks))
                        guard batch.count == Self.batchCount else { return true }
                        guard hand(.batch(batch)) else { return false }
                        batch.removeAll(keepingCapacity: true)
                        return true
                    }
                    if !batch.isEmpty, !hand(.batch(batch)) { return }
                    _ = hand(.end)
                }
            } catch let error as LedgerError {
                _ = hand(.failure(error))
            } catch {
                _ = hand(.failure(LedgerError(.storage, "cannot read the log: \(error)")))
            }
        }
    }

    /// Queues `item` once a slot is free; false when the consumer has stopped listening.
    private func hand(_ item: Item) -> Bool {
        free.wait()
        guard !stopped.load(ordering: .acquiring) else { return false }
        items.withLock { $0.append(item) }
        filled.signal()
        return true
    }

    /// Calls `body` with each record in log order, until the log ends or `body` throws.
    /// Waits for the producer to stop before returning, so no read transaction outlives it.
    func forEach(_ body: (Record) throws -> Void) throws {
        defer {
            stopped.store(true, ordering: .releasing)
            free.signal()  // wakes a producer waiting for a slot, which then sees `stopped`
            finished.wait()
        }
        while true {
            filled.wait()
            let item = items.withLock { $0.removeFirst() }
            free.signal()
            switch item {
            case .batch(let records): for record in records { try body(record) }
            case .failure(let error): throw error
            case .end: return
            }
        }
    }
}
