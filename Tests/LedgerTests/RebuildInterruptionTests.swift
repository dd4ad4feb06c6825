import Foundation
import Ledger
import Projections
import Signing
import Synchronization
import Testing
import TestSupport

/// A rebuild that stops part-way, while records are being read ahead on a second thread:
/// it must end (never wait for that thread forever) and leave the views as they were; and a
/// rebuild that needs a bigger map grows it before it starts.
@Suite(.tags(.slow), .notInFastRuns) struct RebuildInterruptionTests {
    /// The domain projection, with `onFold` called before each record is folded: to stop a
    /// rebuild part-way, or to count what it folds.
    struct WatchedProjection: LedgerProjection {
        let domain = DomainProjection()
        let onFold: @Sendable (Record) throws -> Void

        var viewNames: [String] { domain.viewNames }
        func keyInForce(_ id: KeyID, in txn: borrowing Transaction, environment: LMDBEnvironment) throws -> PublicKey? {
            try domain.keyInForce(id, in: txn, environment: environment)
        }
        func decide(_ request: SignedRequest, context: AppendContext, in txn: borrowing Transaction,
                    environment: LMDBEnvironment) throws -> JSONValue
        {
            try domain.decide(request, context: context, in: txn, environment: environment)
        }
        func prepare(_ record: Record) throws -> DomainProjection.Prepared { try domain.prepare(record) }
        func fold(_ prepared: DomainProjection.Prepared, record: Record, in txn: borrowing Transaction,
                  environment: LMDBEnvironment) throws
        {
            try onFold(record)
            try domain.fold(prepared, record: record, in: txn, environment: environment)
        }
        func keysIntroduced(by record: Record) -> [PublicKey] { domain.keysIntroduced(by: record) }
        func keysRevoked(by record: Record) -> [KeyID] { domain.keysRevoked(by: record) }
    }

    struct Refusal: Error {}

    /// More records than the reader may hold ahead (8 batches of 256), so it is waiting for a
    /// free slot when the fold stops.
    static let recordCount = 3_000

    @Test(.timeLimit(.minutes(1))) func aFoldThatFailsEndsTheRebuildAndKeepsTheViews() throws {
        let test = try TestLedger()
        try test.fill(Self.recordCount - 1)
        let before = try test.viewContents()
        for failing: UInt64 in [3, 1_500] {
            // On a copy: LMDB forbids two handles on one environment in one process.
            let copy = TemporaryDirectory("rebuild-copy")
            try test.copyDataFile(to: copy.path)
            let ledger = try Ledger(directory: copy.path, projection: WatchedProjection { if $0.sequence == failing { throw Refusal() } })
            #expect(throws: Refusal.self) { try ledger.rebuild() }
            #expect(try test.viewContents(ledger) == before)
        }
        #expect(try test.ledger.rebuild() == UInt64(Self.recordCount))
        #expect(try test.viewContents() == before)
    }

    /// A rebuild needs room for the new views beside the old ones until it commits. In a map
    /// just big enough for the appends it grows the map before it starts, and folds each
    /// record once: a map filling up mid-way aborts the transaction, and the log is folded
    /// again from the start.
    @Test(.timeLimit(.minutes(1))) func aRebuildInAFullMapGrowsItFirstAndFoldsEachRecordOnce() throws {
        var small = LMDBEnvironment.Options()
        small.mapSize = 256 * 1024
        let test = try TestLedger(options: small)
        try test.fill(Self.recordCount - 1)
        let before = try test.viewContents()
        // On a copy: LMDB forbids two handles on one environment in one process.
        let copy = TemporaryDirectory("rebuild-copy")
        try test.copyDataFile(to: copy.path)
        let folded = Mutex(0)
        let ledger = try Ledger(directory: copy.path, projection: WatchedProjection { _ in folded.withLock { $0 += 1 } }, options: small)
        let mapBefore = ledger.environment.mapSize
        #expect(try ledger.rebuild() == UInt64(Self.recordCount))
        #expect(ledger.environment.mapSize > mapBefore, "the map had room for the rebuild; the test proves nothing")
        #expect(folded.withLock { $0 } == Self.recordCount)
        #expect(try test.viewContents(ledger) == before)
    }
}
