import CLMDB
import Glibc
import Synchronization

/// A named LMDB database inside the environment: its handle, which the environment looks up
/// by name (``LMDBEnvironment/database(_:)``). Only the handle, so that copying one, as every
/// read and write does, counts no reference.
public struct Database: Sendable, Hashable {
    let handle: MDB_dbi
}

/// Sole owner of one `MDB_env`: every call into liblmdb goes through this file and
/// `Transaction.swift`, and each return code is checked in the frame of its call.
///
/// `@unchecked Sendable`: LMDB allows one environment to be used by many threads. We open it
/// with `MDB_NOTLS`, so a read transaction is not tied to the thread that began it; write
/// transactions are serialised by LMDB's own writer lock, across threads and processes.
public final class LMDBEnvironment: @unchecked Sendable {
    let pointer: OpaquePointer
    public let path: String
    public private(set) var databases: [String: Database] = [:]
    /// Readers left in the lock table by processes that died, cleared when this one opened.
    public let staleReadersCleared: Int32
    /// Which environment this is: no other opened by this process has the same serial, as a
    /// later one can have the same address. What a table kept for it is keyed by.
    public let serial: UInt64
    private static let opened = Atomic<UInt64>(0)
    /// Database handles index LMDB's tables: its free list and main database, then the named ones.
    private static let lmdbOwnDatabases = 2
    /// One more than the largest database handle this environment can give out.
    private let databaseSlots: Int

    public struct Options: Sendable {
        /// The initial map size; the map doubles whenever a write finds it full.
        public var mapSize = 1 << 30
        public var maximumDatabases: UInt32 = 64
        /// Skips the fsync at commit. For tests that need speed more than durability only:
        /// a ledger opened this way can lose its last commits in a crash.
        public var unsafeNoSyncForTests = false
        /// Opens with `MDB_RDONLY`: the environment can be read, never written, so an
        /// auditor who cannot write the files, or reads them from read-only media, can open it.
        public var readOnly = false

        public init() {}
    }

    /// False when the environment was opened read-only without LMDB's lock file
    /// (`MDB_NOLOCK`), because the lock file could not be opened for writing. Reading that
    /// way is unsafe beside a running writer: a commit can reuse pages a read still needs.
    public let isLocked: Bool

    /// Opens (creating if needed) the environment in the directory `path` and the named
    /// databases. Read-only, it creates nothing: a missing database is left out of
    /// ``databases``, and a lock file it cannot write makes it fall back to `MDB_NOLOCK`
    /// (``isLocked``).
    public init(directory path: String, databaseNames: [String], options: Options = Options()) throws(LMDBError) {
        // MDB_WRITEMAP: a write transaction changes pages in the map in place, rather than in
        // malloc'd copies that LMDB keeps in a sorted list and spills to disk past 128 Ki pages.
        // A rebuild dirties millions of pages in one transaction, and keeping that list would
        // be a large share of the fold. Commits stay durable (msync, then the meta page); the
        // file's apparent size becomes the map size, allocated sparsely. LMDB ignores it read-only.
        var flags = UInt32(MDB_NOTLS | MDB_WRITEMAP)
        if options.unsafeNoSyncForTests { flags |= UInt32(MDB_NOSYNC) }
        if options.readOnly { flags |= UInt32(MDB_RDONLY) }
        var env: OpaquePointer
        var locked = true
        do {
            env = try Self.open(path, flags: flags, options: options)
        } catch let error where options.readOnly && (error.code == EACCES || error.code == EROFS) {
            env = try Self.open(path, flags: flags | UInt32(MDB_NOLOCK), options: options)
            locked = false
        }
        var dead: Int32 = 0
        let rc = mdb_reader_check(env, &dead)
        guard rc == 0 else {
            mdb_env_close(env)
            throw LMDBError(code: rc)
        }
        self.pointer = env
        self.databaseSlots = Int(options.maximumDatabases) + Self.lmdbOwnDatabases
        self.path = path
        self.staleReadersCleared = dead
        self.isLocked = locked
        self.serial = Self.opened.add(1, ordering: .relaxed).newValue
        // If this throws, deinit closes the environment.
        try openDatabases(databaseNames, create: !options.readOnly)
    }

    /// Creates an `MDB_env` and opens it on `path`, closing it again if that fails, as LMDB requires.
    private static func open(_ path: String, flags: UInt32, options: Options) throws(LMDBError) -> OpaquePointer {
        var created: OpaquePointer?
        var rc = mdb_env_create(&created)
        guard rc == 0, let env = created else { throw LMDBError(code: rc) }
        rc = mdb_env_set_maxdbs(env, options.maximumDatabases)
        // With MDB_WRITEMAP, opening sets the file's length to the map's. A process whose map
        // another one has grown past this one's would then have its file cut short under its
        // map, and die of SIGBUS at its next write past the new end: so the map is never
        // shorter than the file is now.
        if rc == 0 { rc = mdb_env_set_mapsize(env, max(options.mapSize, fileSize(path + "/data.mdb"))) }
        if rc == 0 { rc = mdb_env_open(env, path, flags, 0o600) }
        guard rc == 0 else {
            mdb_env_close(env)
            throw LMDBError(code: rc)
        }
        return env
    }

    deinit {
        mdb_env_close(pointer)
    }

    /// The length of the file at `path`, or 0 when there is none.
    static func fileSize(_ path: String) -> Int {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : 0
    }

    /// Opens the named databases, creating missing ones when `create` allows; read-only,
    /// those missing are left out of ``databases`` for the caller to judge. A read
    /// transaction suffices when they all exist, which spares every read-only command a
    /// commit and its fsync.
    private func openDatabases(_ names: [String], create: Bool) throws(LMDBError) {
        if let existing = try open(names, create: false) {
            databases = existing
        } else if create, let created = try open(names, create: true) {
            databases = created
        } else {
            databases = try open(names, create: false, skippingMissing: true) ?? [:]
        }
    }

    private func open(_ names: [String], create: Bool, skippingMissing: Bool = false) throws(LMDBError) -> [String: Database]? {
        let txn = try beginTransaction(readOnly: !create)
        var opened: [String: Database] = [:]
        for name in names {
            var handle: MDB_dbi = 0
            let rc = mdb_dbi_open(txn.pointer, name, create ? UInt32(MDB_CREATE) : 0, &handle)
            if rc == MDB_NOTFOUND, !create {
                if skippingMissing { continue }
                return nil
            }
            guard rc == 0 else { throw LMDBError(code: rc) }
            opened[name] = Database(handle: handle)
        }
        try txn.commit()
        return opened
    }

    public func database(_ name: String) -> Database {
        guard let database = databases[name] else {
            preconditionFailure("database '\(name)' was not declared when the environment was opened")
        }
        return database
    }

    /// The flags that trade durability for speed: `MDB_NOSYNC`, `MDB_MAPASYNC`, `MDB_NOMETASYNC`.
    public static let nonDurableFlags = UInt32(MDB_NOSYNC | MDB_MAPASYNC | MDB_NOMETASYNC)

    /// The flags the environment runs with (`MDB_NOSYNC` and friends show up here).
    public var flags: UInt32 {
        var flags: UInt32 = 0
        mdb_env_get_flags(pointer, &flags)
        return flags
    }

    public var mapSize: Int {
        var info = MDB_envinfo()
        mdb_env_info(pointer, &info)
        return info.me_mapsize
    }

    /// The bytes at the start of `data.mdb` that hold pages. With `MDB_WRITEMAP` the file is
    /// as long as the map, and everything past these bytes is unallocated.
    public var usedFileSize: Int {
        var info = MDB_envinfo()
        mdb_env_info(pointer, &info)
        return (info.me_last_pgno + 1) * pageSize
    }

    /// LMDB's page: the unit of ``usedFileSize`` and of what ``reserve(pages:)`` asks for.
    public var pageSize: Int {
        var stat = MDB_stat()
        mdb_env_stat(pointer, &stat)
        return Int(stat.ms_psize)
    }

    /// Begins a transaction, adopting a map another process grew (`MDB_MAP_RESIZED`).
    public func beginTransaction(readOnly: Bool) throws(LMDBError) -> Transaction {
        var rc: Int32 = 0
        for _ in 0..<3 {
            var txn: OpaquePointer?
            rc = mdb_txn_begin(pointer, nil, readOnly ? UInt32(MDB_RDONLY) : 0, &txn)
            if rc == 0, let txn { return Transaction(pointer: txn, isReadOnly: readOnly, databaseSlots: databaseSlots) }
            guard rc == MDB_MAP_RESIZED else { break }
            // Size 0 means "adopt the size the file now has"; safe, as we hold no transaction.
            rc = mdb_env_set_mapsize(pointer, 0)
            guard rc == 0 else { break }
        }
        throw LMDBError(code: rc)
    }

    /// Doubles the map. Only call with no transaction open in this process, as LMDB requires.
    public func growMap() throws(LMDBError) {
        let rc = mdb_env_set_mapsize(pointer, mapSize * 2)
        guard rc == 0 else { throw LMDBError(code: rc) }
    }

    /// Doubles the map until at least `pages` pages lie past the last one in use, so a write
    /// transaction that needs that many new pages does not fill the map and run again (see
    /// ``write(_:)``). Only call with no transaction open in this process.
    public func reserve(pages: Int) throws(LMDBError) {
        while (mapSize - usedFileSize) / pageSize < pages { try growMap() }
    }

    /// Brings up to `pages` pages of the file past the last one in use into the page cache,
    /// zeroed where the file has no data yet, and clean. A write transaction that then takes
    /// them as new pages (LMDB does once its free list is empty) finds each in memory,
    /// instead of zeroing it in a page fault on its own thread. Best effort: the kernel may
    /// decline, and the pages fault in as before.
    public func prefault(pages: Int) {
        let start = usedFileSize, end = min(mapSize, start + pages * pageSize)
        var fd: Int32 = -1
        guard pages > 0, start < end, mdb_env_get_fd(pointer, &fd) == 0 else { return }
        // Read faults through a mapping of our own, which the kernel serves from the page
        // cache LMDB's map shares; `posix_fadvise` would read ahead only its window's worth.
        guard let mapping = mmap(nil, end - start, PROT_READ, MAP_SHARED, fd, off_t(start)), mapping != MAP_FAILED else { return }
        defer { munmap(mapping, end - start) }
        _ = madvise(mapping, end - start, MADV_POPULATE_READ)
    }

    /// Runs `body` in a write transaction and commits it; grows the map and runs `body`
    /// again from the start if the map fills up. `body` must therefore not have effects
    /// outside the transaction.
    public func write<T>(_ body: (borrowing Transaction) throws -> T) throws -> T {
        while true {
            switch try attemptWrite(body) {
            case .committed(let result): return result
            // The failed transaction ended with `attemptWrite`: LMDB resizes only with none open.
            case .mapFull: try growMap()
            }
        }
    }

    private enum WriteAttempt<T> {
        case committed(T)
        case mapFull
    }

    private func attemptWrite<T>(_ body: (borrowing Transaction) throws -> T) throws -> WriteAttempt<T> {
        let txn = try beginTransaction(readOnly: false)
        do {
            let result = try body(txn)
            try txn.commit()
            return .committed(result)
        } catch let error as LMDBError where error == .mapFull {
            return .mapFull
        }
    }

    /// Runs `body` in a read-only transaction.
    public func read<T>(_ body: (borrowing Transaction) throws -> T) throws -> T {
        let txn = try beginTransaction(readOnly: true)
        return try body(txn)
    }
}
