import CLMDB
import Signing

/// The nonce index of a whole log, held while a rebuild folds it and written in one go, in
/// key order, into the emptied `nonces` database.
///
/// Nonces are random, so put one by one each would land on a random leaf of a million-entry
/// tree. Sorted, each is appended (`MDB_APPEND`: no search, pages filled before they split).
/// A row is the nonce and its sequence number inline, 24 bytes: sorting compares two
/// integers, and writing reads the rows in order, where rows pointing into arenas of keys
/// and values cost a cache miss for each key and each value once sorted.
public struct UsedNonces {
    private struct Row {
        /// The nonce's two halves as big-endian numbers, so that comparing them in order
        /// compares the bytes as LMDB does.
        let high: UInt64
        let low: UInt64
        let sequence: UInt64

        static func < (lhs: Row, rhs: Row) -> Bool {
            lhs.high != rhs.high ? lhs.high < rhs.high : lhs.low < rhs.low
        }
    }

    private var rows: [Row] = []

    public init() {}

    public var isEmpty: Bool { rows.isEmpty }

    public mutating func add(_ nonce: Nonce, sequence: UInt64) {
        nonce.withUnsafeBytes { bytes in
            rows.append(Row(high: UInt64(bigEndian: bytes.loadUnaligned(as: UInt64.self)),
                            low: UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self)),
                            sequence: sequence))
        }
    }

    /// Writes every nonce to `db`, which must be empty, as `nonce → sequence` (8 bytes, big
    /// endian), and lets the rows go. A nonce used twice, or a database that is not empty,
    /// fails with `MDB_KEYEXIST`: an append refuses a key that is not past the last one.
    public mutating func write(to db: Database, in txn: borrowing Transaction) throws {
        defer { self = UsedNonces() }
        for row in Self.sorted(rows) {
            try withUnsafeBytes(of: (row.high.bigEndian, row.low.bigEndian)) { key in
                try withUnsafeBytes(of: row.sequence.bigEndian) { value in
                    try txn.put(db, key: key, value: value, append: true)
                }
            }
        }
    }

    /// Bits of a nonce's first bytes that pick its bucket in ``sorted(_:)``.
    private static let bucketBits = 16

    /// `rows` in key order. Nonces are random, so one counting pass on their first 16 bits
    /// spreads a million over 65,536 buckets of about fifteen, each then sorted on its own:
    /// two passes over the rows where a comparison sort made twenty, at the end of a rebuild,
    /// when nothing else runs. Rows that share their first bits only make their bucket larger.
    private static func sorted(_ rows: [Row]) -> [Row] {
        let shift = UInt64.bitWidth - bucketBits
        var starts = [Int](repeating: 0, count: (1 << bucketBits) + 1)
        for row in rows { starts[Int(row.high >> shift) + 1] += 1 }
        for bucket in 0..<(1 << bucketBits) { starts[bucket + 1] += starts[bucket] }
        var next = starts
        var sorted = [Row](unsafeUninitializedCapacity: rows.count) { buffer, count in
            for row in rows {
                let bucket = Int(row.high >> shift)
                buffer.initializeElement(at: next[bucket], to: row)
                next[bucket] += 1
            }
            count = rows.count
        }
        for bucket in 0..<(1 << bucketBits) where starts[bucket + 1] - starts[bucket] > 1 {
            sorted[starts[bucket]..<starts[bucket + 1]].sort { $0 < $1 }
        }
        return sorted
    }
}
