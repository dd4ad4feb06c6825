import CLMDB
import Signing

/// One LMDB transaction. Non-copyable, so it is committed or aborted exactly once; leaving
/// scope without `commit()` aborts it. Marked `noasync` so that no transaction spans an
/// `await` (LMDB ties write transactions to their thread).
public struct Transaction: ~Copyable {
    let pointer: OpaquePointer
    public let isReadOnly: Bool
    /// Point reads and writes go through one cursor per database, kept for the transaction.
    private let cursors: CursorTable

    init(pointer: OpaquePointer, isReadOnly: Bool, databaseSlots: Int) {
        self.pointer = pointer
        self.isReadOnly = isReadOnly
        self.cursors = CursorTable(slots: databaseSlots)
    }

    deinit {
        cursors.closeAll()
        mdb_txn_abort(pointer)
    }

    @available(*, noasync)
    public consuming func commit() throws(LMDBError) {
        cursors.closeAll()
        let rc = mdb_txn_commit(pointer)
        // mdb_txn_commit frees the transaction whether it succeeds or not.
        discard self
        guard rc == 0 else { throw LMDBError(code: rc) }
    }

    @available(*, noasync)
    public consuming func abort() {
        cursors.closeAll()
        mdb_txn_abort(pointer)
        discard self
    }

    /// Calls `body` with the stored value for `key`, or nil; the buffer is valid only inside `body`.
    public func withValue<T>(in db: Database, key: [UInt8], _ body: (UnsafeRawBufferPointer?) throws -> T) throws -> T {
        try key.withUnsafeBytes { keyBytes in
            var k = MDB_val(mv_size: keyBytes.count, mv_data: UnsafeMutableRawPointer(mutating: keyBytes.baseAddress))
            var v = MDB_val()
            let rc = mdb_cursor_get(try cursors.cursor(for: db, in: pointer), &k, &v, MDB_SET_KEY)
            if rc == MDB_NOTFOUND { return try body(nil) }
            guard rc == 0 else { throw LMDBError(code: rc) }
            return try body(UnsafeRawBufferPointer(start: v.mv_data, count: v.mv_size))
        }
    }

    /// A copy of the stored value for `key`, or nil.
    public func get(_ db: Database, _ key: [UInt8]) throws -> [UInt8]? {
        try withValue(in: db, key: key) { $0.map { Array($0) } }
    }

    /// Stores `value` under `key`. `noOverwrite` refuses an existing key (`.keyExists`);
    /// `append` promises the key sorts after every key present, which LMDB checks.
    public func put(_ db: Database, _ key: [UInt8], _ value: [UInt8], noOverwrite: Bool = false, append: Bool = false) throws(LMDBError) {
        let outcome = key.withUnsafeBytes { keyBytes in
            value.withUnsafeBytes { valueBytes in
                Result { () throws(LMDBError) in try put(db, key: keyBytes, value: valueBytes, noOverwrite: noOverwrite, append: append) }
            }
        }
        try outcome.get()
    }

    /// ``put(_:_:_:noOverwrite:append:)`` for bytes held elsewhere (LMDB copies them).
    public func put(_ db: Database, key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer, noOverwrite: Bool = false,
                    append: Bool = false) throws(LMDBError)
    {
        var flags: UInt32 = 0
        if noOverwrite { flags |= UInt32(MDB_NOOVERWRITE) }
        if append { flags |= UInt32(MDB_APPEND) }
        var k = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        var v = MDB_val(mv_size: value.count, mv_data: UnsafeMutableRawPointer(mutating: value.baseAddress))
        let rc = mdb_cursor_put(try cursors.cursor(for: db, in: pointer), &k, &v, flags)
        guard rc == 0 else { throw LMDBError(code: rc) }
    }

    /// Deletes `key`; returns false if it was not there.
    @discardableResult
    public func delete(_ db: Database, _ key: [UInt8]) throws(LMDBError) -> Bool {
        let rc = key.withUnsafeBytes { keyBytes in
            var k = MDB_val(mv_size: keyBytes.count, mv_data: UnsafeMutableRawPointer(mutating: keyBytes.baseAddress))
            return mdb_del(pointer, db.handle, &k, nil)
        }
        if rc == MDB_NOTFOUND { return false }
        guard rc == 0 else { throw LMDBError(code: rc) }
        return true
    }

    /// Removes every entry of `db`, keeping the database itself.
    public func empty(_ db: Database) throws(LMDBError) {
        let rc = mdb_drop(pointer, db.handle, 0)
        guard rc == 0 else { throw LMDBError(code: rc) }
    }

    public func count(_ db: Database) throws(LMDBError) -> Int {
        try stat(db).ms_entries
    }

    /// The pages `db` takes in the file: branch, leaf and overflow.
    public func pageCount(_ db: Database) throws(LMDBError) -> Int {
        let stat = try stat(db)
        return stat.ms_branch_pages + stat.ms_leaf_pages + stat.ms_overflow_pages
    }

    /// How many pages LMDB's free list holds that the next write transaction may take, asked
    /// in a read-only transaction. LMDB reuses no page freed by the last commit (the one this
    /// snapshot shows; a reader may still be on the snapshot before it), so a rebuild run
    /// just after another finds the previous views' pages free but none of them reusable.
    /// Each entry of the free list is keyed by the transaction that freed its pages, and
    /// holds their numbers behind their count, all as native-endian machine words.
    public func reusableFreePageCount() throws -> Int {
        let freeList = Database(handle: 0)  // FREE_DBI
        let snapshot = mdb_txn_id(pointer)
        var pages = 0
        try forEach(in: freeList) { key, value in
            guard key.count == MemoryLayout<Int>.size, value.count >= MemoryLayout<Int>.size,
                  key.loadUnaligned(as: Int.self) < snapshot else { return false }
            pages += value.loadUnaligned(as: Int.self)
            return true
        }
        return pages
    }

    private func stat(_ db: Database) throws(LMDBError) -> MDB_stat {
        var stat = MDB_stat()
        let rc = mdb_stat(pointer, db.handle, &stat)
        guard rc == 0 else { throw LMDBError(code: rc) }
        return stat
    }

    /// Visits entries in key order, starting at the first key ≥ `from` (or the first key),
    /// until `body` returns false. Buffers are valid only during each call.
    public func forEach(in db: Database, from start: [UInt8]? = nil,
                        _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Bool) throws
    {
        try withCursor(db) { cursor in
            var k = MDB_val()
            var v = MDB_val()
            var rc: Int32
            if let start, !start.isEmpty {
                rc = start.withUnsafeBytes { startBytes in
                    k = MDB_val(mv_size: startBytes.count, mv_data: UnsafeMutableRawPointer(mutating: startBytes.baseAddress))
                    return mdb_cursor_get(cursor, &k, &v, MDB_SET_RANGE)
                }
            } else {
                rc = mdb_cursor_get(cursor, &k, &v, MDB_FIRST)
            }
            while rc == 0 {
                let keep = try body(UnsafeRawBufferPointer(start: k.mv_data, count: k.mv_size),
                                    UnsafeRawBufferPointer(start: v.mv_data, count: v.mv_size))
                if !keep { return }
                rc = mdb_cursor_get(cursor, &k, &v, MDB_NEXT)
            }
            guard rc == MDB_NOTFOUND else { throw LMDBError(code: rc) }
        }
    }

    /// The last entry of `db` (largest key), copied, or nil when empty.
    public func last(_ db: Database) throws -> (key: [UInt8], value: [UInt8])? {
        try withCursor(db) { cursor in
            var k = MDB_val()
            var v = MDB_val()
            let rc = mdb_cursor_get(cursor, &k, &v, MDB_LAST)
            if rc == MDB_NOTFOUND { return nil }
            guard rc == 0 else { throw LMDBError(code: rc) }
            return (Array(UnsafeRawBufferPointer(start: k.mv_data, count: k.mv_size)),
                    Array(UnsafeRawBufferPointer(start: v.mv_data, count: v.mv_size)))
        }
    }

    /// Calls `body` with the entry of the largest key ≤ `bound`, or nil when every key is
    /// larger; the buffers are valid only inside `body`. One B-tree descent, like a `get`.
    public func withEntry<T>(in db: Database, atOrBefore bound: [UInt8],
                             _ body: ((key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer)?) throws -> T) throws -> T
    {
        try bound.withUnsafeBytes { try withEntry(in: db, atOrBefore: $0, body) }
    }

    /// ``withEntry(in:atOrBefore:_:)`` for a bound held elsewhere.
    public func withEntry<T>(in db: Database, atOrBefore bound: UnsafeRawBufferPointer,
                             _ body: ((key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer)?) throws -> T) throws -> T
    {
        let cursor = try cursors.cursor(for: db, in: pointer)
        var k = MDB_val(mv_size: bound.count, mv_data: UnsafeMutableRawPointer(mutating: bound.baseAddress))
        var v = MDB_val()
        var rc = mdb_cursor_get(cursor, &k, &v, MDB_SET_RANGE)
        if rc == 0 {
            // SET_RANGE lands on the first key ≥ bound: step back unless it is the bound itself.
            let landed = UnsafeRawBufferPointer(start: k.mv_data, count: k.mv_size)
            if !landed.hasSameBytes(as: bound) { rc = mdb_cursor_get(cursor, &k, &v, MDB_PREV) }
        } else if rc == MDB_NOTFOUND {
            rc = mdb_cursor_get(cursor, &k, &v, MDB_LAST)
        }
        if rc == MDB_NOTFOUND { return try body(nil) }
        guard rc == 0 else { throw LMDBError(code: rc) }
        return try body((UnsafeRawBufferPointer(start: k.mv_data, count: k.mv_size),
                         UnsafeRawBufferPointer(start: v.mv_data, count: v.mv_size)))
    }

    private func withCursor<T>(_ db: Database, _ body: (OpaquePointer) throws -> T) throws -> T {
        var cursor: OpaquePointer?
        let rc = mdb_cursor_open(pointer, db.handle, &cursor)
        guard rc == 0, let cursor else { throw LMDBError(code: rc) }
        defer { mdb_cursor_close(cursor) }
        return try body(cursor)
    }
}

/// The cursors a transaction keeps open for its point reads and writes, by database handle.
///
/// `mdb_put` and a fresh cursor descend the B-tree from its root every time; a cursor kept
/// from the last operation first looks at the leaf page it is on, and stays there when the
/// key falls inside it: versions of one name, names written in order, the same row read and
/// then written. Scans open their own cursors, so a body that reads moves none of theirs.
/// Deletions and `empty` go through LMDB's own cursors, and LMDB keeps the kept ones
/// consistent with what they remove (which `KeptCursorTests` checks).
///
/// Plain memory rather than a class: a non-copyable type that `discard`s itself may hold
/// only trivially destroyed properties.
private struct CursorTable {
    private let cursors: UnsafeMutableBufferPointer<OpaquePointer?>

    /// `slots`: one more than the largest database handle the environment can give out.
    init(slots: Int) {
        cursors = .allocate(capacity: slots)
        cursors.initialize(repeating: nil)
    }

    func cursor(for db: Database, in txn: OpaquePointer) throws(LMDBError) -> OpaquePointer {
        if let cursor = cursors[Int(db.handle)] { return cursor }
        var cursor: OpaquePointer?
        let rc = mdb_cursor_open(txn, db.handle, &cursor)
        guard rc == 0, let cursor else { throw LMDBError(code: rc) }
        cursors[Int(db.handle)] = cursor
        return cursor
    }

    /// Closes every cursor and frees the table, before the transaction ends: a read-only
    /// transaction's cursors must be closed by hand, and LMDB frees a write transaction's
    /// with it, after which a close would be a double free.
    func closeAll() {
        for case let cursor? in cursors { mdb_cursor_close(cursor) }
        cursors.deallocate()
    }
}
