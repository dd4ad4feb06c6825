import Ledger
import Signing
import Testing
import TestSupport

/// The nonce index a rebuild holds and writes sorted is the index the appends built one put
/// at a time: every nonce, in LMDB's key order, with its sequence number.
@Suite struct UsedNoncesTests {
    private static func environment(_ directory: TemporaryDirectory) throws -> LMDBEnvironment {
        try LMDBEnvironment(directory: directory.path, databaseNames: ["nonces"])
    }

    private static func contents(_ environment: LMDBEnvironment) throws -> [([UInt8], [UInt8])] {
        try environment.read { txn in
            var rows: [([UInt8], [UInt8])] = []
            try txn.forEach(in: environment.database("nonces")) { key, value in
                rows.append((Array(key), Array(value)))
                return true
            }
            return rows
        }
    }

    @Test func writesEveryNonceInKeyOrderWithItsSequence() throws {
        let directory = TemporaryDirectory("used-nonces")
        let environment = try Self.environment(directory)
        var random = SeededGenerator(state: 4242)
        var used = UsedNonces()
        var expected: [([UInt8], UInt64)] = []
        for sequence in UInt64(1)...5_000 {
            var bytes = (0..<Nonce.byteCount).map { _ in UInt8.random(in: 0...255, using: &random) }
            // Some share their first eight bytes, so the second half decides their order;
            // some have high bits set, which a signed comparison would put first.
            if sequence % 5 == 0 { bytes.replaceSubrange(0..<8, with: [0x80, 0, 0, 0, 0, 0, 0, 1]) }
            used.add(Nonce(bytes: bytes)!, sequence: sequence)
            expected.append((bytes, sequence))
        }
        try environment.write { txn in try used.write(to: environment.database("nonces"), in: txn) }
        #expect(used.isEmpty)
        let stored = try Self.contents(environment)
        let wanted = expected.sorted { $0.0.lexicographicallyPrecedes($1.0) }
        #expect(stored.map(\.0) == wanted.map(\.0))
        #expect(stored.map(\.1) == wanted.map { SequenceKey.encode($0.1) })
    }

    @Test func aNonceUsedTwiceOrAnIndexNotEmptyIsRefusedAndNothingIsWritten() throws {
        let directory = TemporaryDirectory("used-nonces-twice")
        let environment = try Self.environment(directory)
        let nonces = environment.database("nonces")
        let reused = Nonce.random()
        var twice = UsedNonces()
        for (sequence, nonce) in [reused, Nonce.random(), reused].enumerated() { twice.add(nonce, sequence: UInt64(sequence + 1)) }
        #expect(throws: LMDBError.self) { try environment.write { txn in try twice.write(to: nonces, in: txn) } }
        #expect(try Self.contents(environment).isEmpty)

        // An index holding the largest possible nonce already: every append comes before it.
        let last = Nonce(bytes: [UInt8](repeating: 0xff, count: Nonce.byteCount))!
        try environment.write { txn in try txn.put(nonces, last.bytes, SequenceKey.encode(1)) }
        var more = UsedNonces()
        more.add(Nonce.random(), sequence: 2)
        #expect(throws: LMDBError.self) { try environment.write { txn in try more.write(to: nonces, in: txn) } }
        #expect(try Self.contents(environment).map(\.0) == [last.bytes])
    }
}
