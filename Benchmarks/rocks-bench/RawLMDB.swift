import CLMDB

/// The floor the ledger is measured against: liblmdb called directly, storing 8-byte
/// big-endian keys and opaque values, durable commits, no ledger code at all.
final class RawLMDB {
    let env: OpaquePointer
    let dbi: MDB_dbi

    init(directory: String) {
        var env: OpaquePointer?
        check(mdb_env_create(&env))
        check(mdb_env_set_maxdbs(env, 4))
        check(mdb_env_set_mapsize(env, 8 << 30))
        check(mdb_env_open(env, directory, UInt32(MDB_NOTLS), 0o600))
        self.env = env!
        var txn: OpaquePointer?
        check(mdb_txn_begin(env, nil, 0, &txn))
        var dbi: MDB_dbi = 0
        check(mdb_dbi_open(txn, "records", UInt32(MDB_CREATE), &dbi))
        check(mdb_txn_commit(txn))
        self.dbi = dbi
    }

    deinit { mdb_env_close(env) }

    var flags: UInt32 {
        var flags: UInt32 = 0
        mdb_env_get_flags(env, &flags)
        return flags
    }

    /// Appends `values` starting at key `first`, `perCommit` values per durable commit.
    func append(_ values: [[UInt8]], first: UInt64, perCommit: Int) {
        var key = first
        var index = 0
        while index < values.count {
            var txn: OpaquePointer?
            check(mdb_txn_begin(env, nil, 0, &txn))
            for value in values[index..<min(index + perCommit, values.count)] {
                var k = key.bigEndian
                withUnsafeMutableBytes(of: &k) { keyBytes in
                    var mk = MDB_val(mv_size: 8, mv_data: keyBytes.baseAddress)
                    value.withUnsafeBytes { valueBytes in
                        var mv = MDB_val(mv_size: valueBytes.count, mv_data: UnsafeMutableRawPointer(mutating: valueBytes.baseAddress))
                        check(mdb_put(txn, dbi, &mk, &mv, UInt32(MDB_APPEND)))
                    }
                }
                key += 1
            }
            check(mdb_txn_commit(txn))
            index += perCommit
        }
    }

    /// Reads every value once, in key order, touching each byte's length.
    func scan() -> Int {
        var txn: OpaquePointer?
        check(mdb_txn_begin(env, nil, UInt32(MDB_RDONLY), &txn))
        var cursor: OpaquePointer?
        check(mdb_cursor_open(txn, dbi, &cursor))
        var k = MDB_val(), v = MDB_val()
        var total = 0
        var rc = mdb_cursor_get(cursor, &k, &v, MDB_FIRST)
        while rc == 0 {
            total += v.mv_size
            rc = mdb_cursor_get(cursor, &k, &v, MDB_NEXT)
        }
        mdb_cursor_close(cursor)
        mdb_txn_abort(txn)
        return total
    }
}

func check(_ rc: Int32, file: StaticString = #file, line: UInt = #line) {
    if rc != 0 { fatalError("LMDB error \(rc): \(String(cString: mdb_strerror(rc)))", file: file, line: line) }
}
