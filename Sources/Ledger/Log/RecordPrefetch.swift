import Dispatch
import Synchronization

/// Parses stored records on a second thread, a few batches ahead of the fold that consumes
/// them, so that parsing (the request's JSON) and folding (the views) overlap on two cores.
/// The same thread does the projection's view-free share of each fold (``LedgerProjection/prepare(_:)``)
/// and frees the batches the fold is done with: memory is cheapest to free on the thread
/// that allocated it, and the fold thread is the one a rebuild waits for.
///
/// Not generic over the projection's preparation: each record's is closed over in its
/// ``Fold``, so the batches are of one concrete type, copied and freed without the runtime's
/// generic value operations on either thread.
///
/// The producer reads in its own read-only transaction, which LMDB allows beside the
/// consumer's write transaction (the environment is opened with `MDB_NOTLS`). Records are
/// only read here, never written, so both see the same log.
final class RecordPrefetch: Sendable {
    /// The rest of one record's fold, once prepared: it writes the record's views.
    typealias Fold = @Sendable (borrowing Transaction) throws -> Void

    /// Records per hand-over: large enough that the semaphores cost nothing per record.
    static var batchCount: Int { 256 }
    /// Batches parsed ahead at most, which bounds the memory held.
    static var batchesAhead: Int { 8 }

    /// A record and what the projection prepared for it. A struct, not a tuple: a tuple is
    /// copied out of its batch through the runtime's generic tuple copy.
    struct Prepared: Sendable {
        let record: Record
        /// What preparing it made, or what preparing it threw, which the fold throws when it
        /// reaches the record, as folding it would.
        let fold: Result<Fold, any Error>
    }

    private enum Item: Sendable {
        case batch([Prepared])
        case failure(LedgerError)
        case end
    }

    /// Slots for batches. Made empty and then signalled, because libdispatch traps when a
    /// semaphore is freed below its initial value, which a fold that stops early leaves it.
    private let free = DispatchSemaphore(value: 0)
    private let filled = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private let items = Mutex<[Item]>([])
    /// Batches the fold has finished with, freed by the producer between two batches.
    private let spent = Mutex<[[Prepared]]>([])
    private let stopped = Atomic<Bool>(false)

    /// Calls `body` with every record of `records` in log order, parsed with `checks` and
    /// given to `prepare` on a second thread, until the log ends or `body` throws.
    static func forEach(in environment: LMDBEnvironment, records: Database, checks: Record.Checks,
                        prepare: @escaping @Sendable (Record) throws -> Fold,
                        _ body: (Record, Result<Fold, any Error>) throws -> Void) throws
    {
        try RecordPrefetch(environment: environment, records: records, checks: checks, prepare: prepare).consume(body)
    }

    /// Starts parsing; ``consume(_:)`` must follow, which the static entry point guarantees.
    private init(environment: LMDBEnvironment, records: Database, checks: Record.Checks,
                 prepare: @escaping @Sendable (Record) throws -> Fold)
    {
        for _ in 0..<Self.batchesAhead { free.signal() }
        DispatchQueue.global().async { [self] in
            defer { finished.signal() }
            do {
                try environment.read { txn in
                    var batch: [Prepared] = []
                    batch.reserveCapacity(Self.batchCount)
                    var listening = true
                    try txn.forEach(in: records) { key, value in
                        let record = try Self.record(key: key, value: value, checks: checks)
                        let fold = Result { try prepare(record) }
                        batch.append(Prepared(record: consume record, fold: fold))  // moved into the batch, not copied
                        guard batch.count == Self.batchCount else { return true }
                        listening = hand(.batch(batch))
                        batch = []
                        batch.reserveCapacity(Self.batchCount)
                        // Taken out under the lock, freed outside it: the fold never waits on a deallocation.
                        var folded: [[Prepared]] = []
                        spent.withLock { swap(&$0, &folded) }
                        folded.removeAll()
                        return listening
                    }
                    // A consumer that stopped early takes nothing more: handing it the rest
                    // would wait for a slot forever.
                    guard listening else { return }
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

    /// Parses one stored record; a failure names the record by its key, as `verify` does,
    /// since its own bytes may not say.
    private static func record(key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer, checks: Record.Checks) throws(LedgerError) -> Record {
        do {
            return try Record(stored: value, checks: checks)
        } catch {
            let sequence = SequenceKey.decode(key) ?? 0
            throw LedgerError(error.code, "record \(sequence): \(error.message)", sequence: sequence)
        }
    }

    /// Queues `item` once a slot is free; false when the consumer has stopped listening.
    private func hand(_ item: Item) -> Bool {
        guard !stopped.load(ordering: .acquiring) else { return false }
        free.wait()
        guard !stopped.load(ordering: .acquiring) else { return false }
        items.withLock { $0.append(item) }
        filled.signal()
        return true
    }

    /// Calls `body` with each record in log order, until the log ends or `body` throws.
    /// Waits for the producer to stop before returning, so no read transaction outlives it.
    private func consume(_ body: (Record, Result<Fold, any Error>) throws -> Void) throws {
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
            case .batch(let batch):
                // By index, so each record and its preparation are lent to `body` from the batch,
                // not copied out of it (a copied preparation retains every array it holds).
                for index in batch.indices { try body(batch[index].record, batch[index].fold) }
                spent.withLock { $0.append(batch) }
            case .failure(let error): throw error
            case .end: return
            }
        }
    }
}
