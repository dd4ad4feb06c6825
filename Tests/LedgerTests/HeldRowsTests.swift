import Ledger
import Testing
import TestSupport

/// Rows held back and written sorted end up exactly as the same rows put one by one would:
/// in key order, the later of two rows with one key winning, beside rows already there.
@Suite struct HeldRowsTests {
    private static func environment(_ directory: TemporaryDirectory) throws -> LMDBEnvironment {
        try LMDBEnvironment(directory: directory.path, databaseNames: ["rows"])
    }

    private static func contents(_ environment: LMDBEnvironment) throws -> [([UInt8], [UInt8])] {
        try environment.read { txn in
            var rows: [([UInt8], [UInt8])] = []
            try txn.forEach(in: environment.database("rows")) { key, value in
                rows.append((Array(key), Array(value)))
                return true
            }
            return rows
        }
    }

    @Test func writesWhatPutsWouldInKeyOrderWithTheLaterRowWinning() throws {
        let directory = TemporaryDirectory("held-rows")
        let environment = try Self.environment(directory)
        let rows = environment.database("rows")
        // Keys already there: one before everything held, one among it, one after it.
        try environment.write { txn in
            for key in ["a", "m", "zz"] { try txn.put(rows, Array(key.utf8), Array("old \(key)".utf8)) }
        }
        var random = SystemRandomNumberGenerator()
        var expected: [String: String] = ["a": "old a", "m": "old m", "zz": "old zz"]
        var held = HeldRows()
        for index in 0..<2_000 {
            // Short keys repeat, prefixes of each other occur, and "m" is overwritten.
            let key = String(Int.random(in: 0..<600, using: &random), radix: 36) + (index % 7 == 0 ? "" : "-x")
            let value = "v\(index)"
            held.add(key: Array(key.utf8), value: Array(value.utf8))
            expected[key] = value
        }
        held.add(key: Array("m".utf8), value: Array("new m".utf8))
        expected["m"] = "new m"
        try environment.write { txn in try held.write(to: rows, in: txn) }
        #expect(held.isEmpty)
        let stored = try Self.contents(environment)
        let wanted = expected.map { (Array($0.key.utf8), Array($0.value.utf8)) }.sorted { $0.0.lexicographicallyPrecedes($1.0) }
        #expect(stored.map(\.0) == wanted.map(\.0))
        #expect(stored.map(\.1) == wanted.map(\.1))
    }

    /// Rows are ordered by their first eight bytes, then by the rest: keys longer than that,
    /// keys that are prefixes of others, and zero bytes (which the padding of a short key's
    /// first eight also holds) must still sort as LMDB sorts them.
    @Test func keysOfAnyLengthAndByteSortAsLMDBSortsThem() throws {
        let directory = TemporaryDirectory("held-rows-bytes")
        let environment = try Self.environment(directory)
        var random = SeededGenerator(state: 808)
        var expected: [[UInt8]: [UInt8]] = [:]
        var held = HeldRows()
        for index in 0..<3_000 {
            let key: [UInt8] = (0..<Int.random(in: 1...20, using: &random)).map { _ in [0x00, 0x01, 0x61, 0xff].randomElement(using: &random)! }
            let value = Array("v\(index)".utf8)
            held.add(key: key, value: value)
            expected[key] = value
        }
        try environment.write { txn in try held.write(to: environment.database("rows"), in: txn) }
        let wanted = expected.sorted { $0.key.lexicographicallyPrecedes($1.key) }
        let stored = try Self.contents(environment)
        #expect(stored.map(\.0) == wanted.map(\.key))
        #expect(stored.map(\.1) == wanted.map(\.value))
    }

    @Test func uniqueRowsRefuseAKeyTwiceAndAKeyAlreadyThere() throws {
        let directory = TemporaryDirectory("held-rows-unique")
        let environment = try Self.environment(directory)
        let rows = environment.database("rows")
        var twice = HeldRows()
        for key in ["b", "a", "b"] { twice.add(key: Array(key.utf8), value: [1]) }
        #expect(throws: LMDBError.self) {
            try environment.write { txn in try twice.write(to: rows, in: txn, unique: true) }
        }

        try environment.write { txn in try txn.put(rows, Array("k".utf8), [0]) }
        var clashing = HeldRows()
        for key in ["c", "k", "x"] { clashing.add(key: Array(key.utf8), value: [1]) }
        #expect(throws: LMDBError.self) {
            try environment.write { txn in try clashing.write(to: rows, in: txn, unique: true) }
        }
        // Each refusal ended its transaction uncommitted: only the row put before is there.
        #expect(try Self.contents(environment).map(\.0) == [Array("k".utf8)])
    }
}
