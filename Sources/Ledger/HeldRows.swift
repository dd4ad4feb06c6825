import CLMDB
import Glibc

/// Rows meant for one database, held in memory and written in key order in one go.
///
/// A rebuild writes millions of rows whose keys arrive in log order, which is random order
/// for a B-tree: each `put` descends to a different leaf, and page splits leave pages half
/// full. Written sorted, every key past the database's last one goes in with `MDB_APPEND`
/// (no search; pages filled before they split), and the rest land on neighbouring pages.
///
/// Keys are copied into one arena; values are kept as the arrays given, not copied.
public struct HeldRows {
    private var keys: [UInt8] = []
    private var rows: [Row] = []

    private struct Row {
        let keyStart: Int
        let keyCount: Int
        let value: [UInt8]
    }

    public init() {}

    public var isEmpty: Bool { rows.isEmpty }

    /// Holds `value` under `key`. Of two rows with one key, the one added later is written.
    public mutating func add(key: some Sequence<UInt8>, value: [UInt8]) {
        let start = keys.count
        keys.append(contentsOf: key)
        rows.append(Row(keyStart: start, keyCount: keys.count - start, value: value))
    }

    /// Writes the held rows to `db` in key order and lets them go. With `unique`, two rows
    /// with one key, or a key already in `db`, fail with `MDB_KEYEXIST`, as `noOverwrite` does.
    public mutating func write(to db: Database, in txn: borrowing Transaction, unique: Bool = false) throws {
        defer { self = HeldRows() }
        guard !rows.isEmpty else { return }
        let last = try txn.last(db)?.key
        var rows = rows
        try keys.withUnsafeBytes { arena in
            func key(_ row: Row) -> UnsafeRawBufferPointer {
                UnsafeRawBufferPointer(rebasing: arena[row.keyStart..<row.keyStart + row.keyCount])
            }
            // Equal keys stay in the order they were added: the arena offset breaks the tie.
            rows.sort { lhs, rhs in
                let order = Self.compare(key(lhs), key(rhs))
                return order != 0 ? order < 0 : lhs.keyStart < rhs.keyStart
            }
            // Keys after the database's last one are appended; the ones before it are put.
            var appending = last == nil
            for index in rows.indices {
                let row = rows[index], rowKey = key(row)
                if index + 1 < rows.count, Self.compare(rowKey, key(rows[index + 1])) == 0 {
                    if unique { throw LMDBError(code: MDB_KEYEXIST) }
                    continue  // a later row has this key and wins
                }
                if !appending, let last {
                    appending = last.withUnsafeBytes { Self.compare(rowKey, $0) > 0 }
                }
                try row.value.withUnsafeBytes { value in
                    try txn.put(db, key: rowKey, value: value, noOverwrite: unique && !appending, append: appending)
                }
            }
        }
    }

    /// LMDB's default key order: bytes compared unsigned, a prefix before its extensions.
    private static func compare(_ lhs: UnsafeRawBufferPointer, _ rhs: UnsafeRawBufferPointer) -> Int {
        let common = min(lhs.count, rhs.count)
        if common > 0, let left = lhs.baseAddress, let right = rhs.baseAddress {
            let order = memcmp(left, right, common)
            if order != 0 { return Int(order) }
        }
        return lhs.count - rhs.count
    }
}
