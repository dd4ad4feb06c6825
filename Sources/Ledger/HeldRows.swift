import CLMDB
import Signing

/// Rows meant for one database, held in memory and written in key order in one go.
///
/// A rebuild writes millions of rows whose keys arrive in log order, which is random order
/// for a B-tree: each `put` descends to a different leaf, and page splits leave pages half
/// full. Written sorted, every key past the database's last one goes in with `MDB_APPEND`
/// (no search; pages filled before they split), and the rest land on neighbouring pages.
///
/// Keys and values are copied end to end into two arenas: a row is a few integers, so
/// holding a million of them allocates nothing per row, and sorting them moves no references.
public struct HeldRows {
    private var keys: [UInt8] = []
    private var values: [UInt8] = []
    private var rows: [Row] = []

    private struct Row {
        /// The key's first eight bytes as a big-endian number, zero-padded: most comparisons
        /// of two rows end here, without reading the arena.
        let prefix: UInt64
        let keyStart: Int
        let keyCount: Int
        let valueStart: Int
        let valueCount: Int
    }

    public init() {}

    public var isEmpty: Bool { rows.isEmpty }

    /// Holds `value` under `key`. Of two rows with one key, the one added later is written.
    public mutating func add(key: some Sequence<UInt8>, value: some Sequence<UInt8>) {
        let keyStart = keys.count, valueStart = values.count
        keys.append(contentsOf: key)
        values.append(contentsOf: value)
        let keyCount = keys.count - keyStart
        var prefix: UInt64 = 0
        for offset in 0..<8 { prefix = prefix << 8 | UInt64(offset < keyCount ? keys[keyStart + offset] : 0) }
        rows.append(Row(prefix: prefix, keyStart: keyStart, keyCount: keyCount, valueStart: valueStart,
                        valueCount: values.count - valueStart))
    }

    /// Writes the held rows to `db` in key order and lets them go. With `unique`, two rows
    /// with one key, or a key already in `db`, fail with `MDB_KEYEXIST`, as `noOverwrite` does.
    public mutating func write(to db: Database, in txn: borrowing Transaction, unique: Bool = false) throws {
        defer { self = HeldRows() }
        guard !rows.isEmpty else { return }
        let last = try txn.last(db)?.key
        var rows = rows
        try keys.withUnsafeBytes { keyArena in
            try values.withUnsafeBytes { valueArena in
                func key(_ row: Row) -> UnsafeRawBufferPointer {
                    UnsafeRawBufferPointer(rebasing: keyArena[row.keyStart..<row.keyStart + row.keyCount])
                }
                // Equal keys stay in the order they were added: the arena offset breaks the tie.
                rows.sort { lhs, rhs in
                    if lhs.prefix != rhs.prefix { return lhs.prefix < rhs.prefix }
                    let order = key(lhs).compareBytes(key(rhs))
                    return order != 0 ? order < 0 : lhs.keyStart < rhs.keyStart
                }
                // Keys after the database's last one are appended; the ones before it are put.
                var appending = last == nil
                for index in rows.indices {
                    let row = rows[index], rowKey = key(row)
                    if index + 1 < rows.count, rows[index + 1].prefix == row.prefix, rowKey.compareBytes(key(rows[index + 1])) == 0 {
                        if unique { throw LMDBError(code: MDB_KEYEXIST) }
                        continue  // a later row has this key and wins
                    }
                    if !appending, let last {
                        appending = last.withUnsafeBytes { rowKey.compareBytes($0) > 0 }
                    }
                    let value = UnsafeRawBufferPointer(rebasing: valueArena[row.valueStart..<row.valueStart + row.valueCount])
                    try txn.put(db, key: rowKey, value: value, noOverwrite: unique && !appending, append: appending)
                }
            }
        }
    }
}
