import Foundation
import Ledger
import Projections
import Signing
import Testing
import TestSupport

/// `verify` over damaged copies of a real `data.mdb`: every change is caught and the first
/// bad record is named.
@Suite struct TamperTests {
    /// A copy of the ledger's `data.mdb` with one byte of record `sequence` flipped. LMDB
    /// copies pages on write, so stale copies of a record may sit in free pages too: the byte
    /// is flipped in every copy, which is what changing the record means.
    private func tamperedCopy(of test: TestLedger, record sequence: UInt64, byte offset: Int) throws -> TemporaryDirectory {
        let record = try #require(try test.ledger.record(sequence))
        var file = try test.dataFile()
        let pattern = Data(record.bytes)
        var searchFrom = file.startIndex
        var copies = 0
        while let location = file.range(of: pattern, in: searchFrom..<file.endIndex) {
            file[location.lowerBound + offset] ^= 0x20
            searchFrom = location.upperBound
            copies += 1
        }
        #expect(copies > 0, "record \(sequence) not found in data.mdb")
        let copy = TemporaryDirectory("tampered")
        try file.write(to: URL(fileURLWithPath: copy.file("data.mdb")))
        return copy
    }

    /// The sequence number `verify` (or opening, for the genesis record) names.
    private func namedSequence(_ directory: String, since: StoredCheckpoint? = nil) -> UInt64? {
        do {
            let ledger = try Ledger(directory: directory, projection: DomainProjection())
            _ = try ledger.verify(since: since)
            return nil
        } catch let error as LedgerError {
            return error.sequence ?? 0
        } catch {
            return 0
        }
    }

    @Test func everyByteOfARecordIsCovered() throws {
        let test = try TestLedger()
        try test.fill(12, batch: 4)
        for sequence: UInt64 in [1, 7, 13] {
            let length = try #require(try test.ledger.record(sequence)).bytes.count
            for offset in 0..<length {
                let copy = try tamperedCopy(of: test, record: sequence, byte: offset)
                let named = namedSequence(copy.path)
                #expect(named == sequence, "flipping byte \(offset) of record \(sequence) gave \(String(describing: named))")
                if named != sequence { return }
            }
        }
    }

    @Test(.tags(.slow), .notInFastRuns) func aTenThousandRecordLedgerVerifiesAndRandomDamageIsNamed() throws {
        let test = try TestLedger()
        try test.fill(9_999)
        let report = try test.ledger.verify()
        #expect(report.records == 10_000)
        var generator = SystemRandomNumberGenerator()
        let picks: [UInt64] = [2, 10_000] + (0..<6).map { _ in UInt64.random(in: 3...9_999, using: &generator) }
        for sequence in picks {
            let length = try #require(try test.ledger.record(sequence)).bytes.count
            let offset = Int.random(in: 0..<length, using: &generator)
            let copy = try tamperedCopy(of: test, record: sequence, byte: offset)
            #expect(namedSequence(copy.path) == sequence, "byte \(offset) of record \(sequence)")
        }
    }

    /// Opens a writable LMDB handle on a copy, for surgery the ledger API would never do.
    private func surgery(on test: TestLedger, _ operate: (borrowing Transaction, LMDBEnvironment) throws -> Void) throws -> TemporaryDirectory {
        let copy = TemporaryDirectory("surgery")
        try test.copyDataFile(to: copy.path)
        let environment = try LMDBEnvironment(directory: copy.path, databaseNames: [Ledger.recordsName, Ledger.checkpointsName, Ledger.treeName])
        _ = try environment.write { txn in try operate(txn, environment) }
        return copy
    }

    /// A rebuild checks each record's layout and digest while it folds (on the prefetching
    /// thread), so a damaged record stops it: the record is named and the views stay as they were.
    @Test func aRebuildOverADamagedRecordNamesItAndKeepsTheViews() throws {
        let test = try TestLedger()
        try test.fill(600, batch: 100)
        // Past the first batch the prefetcher hands over, and inside a later one.
        for sequence: UInt64 in [2, 300, 601] {
            let length = try #require(try test.ledger.record(sequence)).bytes.count
            let copy = try tamperedCopy(of: test, record: sequence, byte: length / 2)
            let damaged = try test.reopen(copy.path)
            let before = try test.viewContents(damaged)
            do {
                _ = try damaged.rebuild()
                Issue.record("the rebuild over damaged record \(sequence) succeeded")
            } catch let error as LedgerError {
                #expect(error.sequence == sequence, "\(error)")
                #expect(error.message.hasPrefix("record \(sequence): "), "\(error)")
            }
            #expect(try test.viewContents(damaged) == before)
        }
    }

    /// A record changed and given a new digest passes its own check. The rebuild's link and
    /// checkpoint checks catch it: the record after it no longer chains to it, and the last
    /// one is not what the newest checkpoint covers. Named, and the views are kept.
    @Test func aRebuildRefusesARecordForgedWithANewDigest() throws {
        let test = try TestLedger()
        try test.fill(20, batch: 5)
        for (forged, named, reason) in [(UInt64(10), UInt64(11), "does not chain to record 10"),
                                        (21, 21, "differs from the one the newest checkpoint covers")] {
            var bytes = try #require(try test.ledger.record(forged)).bytes
            bytes[21] ^= 0x01  // the append time's lowest byte: the record still parses
            bytes.replaceSubrange(bytes.count - 32..<bytes.count, with: SHA256.hash(Array(bytes.dropLast(32))))
            let copy = try surgery(on: test) { txn, environment in
                try txn.put(environment.database(Ledger.recordsName), SequenceKey.encode(forged), bytes)
            }
            let damaged = try test.reopen(copy.path)
            #expect(try damaged.record(forged)?.digest == Array(bytes.suffix(32)))
            let before = try test.viewContents(damaged)
            let error = #expect(throws: LedgerError.self) { try damaged.rebuild() }
            #expect(error?.sequence == named && error?.message.hasPrefix("record \(named)") == true && error?.message.contains(reason) == true,
                    "\(String(describing: error))")
            #expect(try test.viewContents(damaged) == before)
        }
    }

    @Test func aRemovedRecordIsNamed() throws {
        let test = try TestLedger()
        try test.fill(20)
        let copy = try surgery(on: test) { txn, environment in
            try txn.delete(environment.database(Ledger.recordsName), SequenceKey.encode(9))
        }
        #expect(namedSequence(copy.path) == 9)
    }

    @Test func reorderedRecordsAreNamed() throws {
        let test = try TestLedger()
        try test.fill(20)
        let eight = try #require(try test.ledger.record(8)).bytes
        let nine = try #require(try test.ledger.record(9)).bytes
        let copy = try surgery(on: test) { txn, environment in
            let records = environment.database(Ledger.recordsName)
            try txn.put(records, SequenceKey.encode(8), nine)
            try txn.put(records, SequenceKey.encode(9), eight)
        }
        #expect(namedSequence(copy.path) == 8)
    }

    @Test func aCutTailIsCaughtByTheCheckpoints() throws {
        let test = try TestLedger()
        try test.fill(5, batch: 1)
        let saved = try test.ledger.latestCheckpoint()
        #expect(saved.sequence == 6)

        // Cutting the last record alone leaves its checkpoint pointing past the end.
        let cut = try surgery(on: test) { txn, environment in
            try txn.delete(environment.database(Ledger.recordsName), SequenceKey.encode(6))
        }
        #expect(namedSequence(cut.path) == 6)

        // Cutting the record alone leaves the Merkle tree one leaf longer than the log.
        let treeLonger = try surgery(on: test) { txn, environment in
            _ = try txn.delete(environment.database(Ledger.recordsName), SequenceKey.encode(6))
            _ = try txn.delete(environment.database(Ledger.checkpointsName), Array("00000000000000000006".utf8))
        }
        #expect(namedSequence(treeLonger.path) == 5)

        // Cutting the record, its leaf and its checkpoint leaves a consistent-looking log,
        // which only a checkpoint kept outside the ledger can expose.
        let clean = try surgery(on: test) { txn, environment in
            _ = try txn.delete(environment.database(Ledger.recordsName), SequenceKey.encode(6))
            _ = try txn.delete(environment.database(Ledger.checkpointsName), Array("00000000000000000006".utf8))
            _ = try txn.delete(environment.database(Ledger.treeName), SequenceKey.encode(6))
        }
        #expect(namedSequence(clean.path) == nil)
        let truncated = #expect(throws: LedgerError.self) { try Ledger(directory: clean.path, projection: DomainProjection()).verify(since: saved) }
        #expect(truncated?.code == .truncated)
        #expect(try test.ledger.verify(since: saved).records == 6)
    }

    @Test func aRewrittenHistoryFailsAgainstAnOlderCheckpoint() throws {
        let first = try TestLedger()
        try first.fill(3, batch: 1)
        let saved = try first.ledger.latestCheckpoint()
        // A different ledger can't pass off its checkpoint, and this one can't be compared to another's.
        let other = try TestLedger()
        try other.fill(3, batch: 1)
        #expect(throws: LedgerError.self) { try other.ledger.verify(since: saved) }
        let document = try StoredCheckpoint(bytes: saved.bytes)
        #expect(document == saved)
        // Any byte changed: refused as unreadable, unsigned, or not this log's.
        for offset in stride(from: 0, to: saved.bytes.count, by: 3) {
            var forged = saved.bytes
            forged[offset] ^= 0x01
            #expect(throws: LedgerError.self, "byte \(offset)") {
                let checkpoint = try StoredCheckpoint(bytes: forged)
                _ = try first.ledger.verify(since: checkpoint)
            }
        }
    }
}
