import Dispatch
import Glibc
import Ledger
import Signing
import Synchronization

/// Typed access to the views inside one transaction, at one position of the log.
///
/// The views are versioned: a row's stored key is its text key, a zero byte, and the
/// big-endian sequence number of the record that wrote it; its value is canonical JSON, or
/// nothing for a deletion. Nothing is overwritten by a later record, so the views right after
/// any record `S` are the rows written by records `1...S`, newest version of each key. That
/// makes `at=` a read like any other, at any depth of history, and keeps a rebuild
/// byte-identical to the live views (both write the same versions).
///
/// A value without references (a sequence number and a table of handles): folds capture it
/// in closures on every read and write, and copying it counts nothing.
struct ViewStore {
    /// Reads see versions written by records up to this one; writes are versions of it.
    let sequence: UInt64
    private let databases: ViewDatabases

    init(environment: LMDBEnvironment, sequence: UInt64) {
        self.sequence = sequence
        databases = ViewDatabases.of(environment)
    }

    /// The live views, for reading.
    static func live(_ environment: LMDBEnvironment) -> ViewStore { ViewStore(environment: environment, sequence: .max) }

    /// The bytes after a text key in every stored key: a zero byte, then 8 of sequence number.
    static let versionByteCount = 9

    /// Private: every read and write goes through the versioning above and below.
    private func database(_ view: View) -> Database { databases.database(view) }

    /// Calls `body` with the stored key of `key`'s version written by record ``sequence``,
    /// laid out on the stack: folds read and write several keys per record, and a rebuild
    /// folds every record.
    private func withStoredKey<T>(_ key: String, _ body: (UnsafeRawBufferPointer) throws -> T) throws -> T {
        // Read whole from the string's own storage, borrowed rather than copied into a `var`
        // for `withUTF8` (a copy counts a reference to a string the parsing thread made).
        if let stored = try key.utf8.withContiguousStorageIfAvailable({ try withStoredKey(text: UnsafeRawBufferPointer($0), body) }) {
            return stored
        }
        return try Array(key.utf8).withUnsafeBytes { try withStoredKey(text: $0, body) }
    }

    /// ``withStoredKey(_:_:)`` for a key's UTF-8 text.
    private func withStoredKey<T>(text: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) throws -> T) throws -> T {
        try withUnsafeTemporaryAllocation(byteCount: text.count + Self.versionByteCount, alignment: 1) { stored in
            UnsafeMutableRawBufferPointer(rebasing: stored[..<text.count]).copyMemory(from: text)
            stored[text.count] = 0
            withUnsafeBytes(of: sequence.bigEndian) { version in
                UnsafeMutableRawBufferPointer(rebasing: stored[(text.count + 1)...]).copyMemory(from: version)
            }
            return try body(UnsafeRawBufferPointer(stored))
        }
    }

    /// The text key and version of a stored key, or nil for a row that is not a version.
    private static func split(_ stored: UnsafeRawBufferPointer) -> (key: UnsafeRawBufferPointer, version: UInt64)? {
        let keyCount = stored.count - versionByteCount
        guard keyCount >= 0, stored[keyCount] == 0 else { return nil }
        let version = stored[(keyCount + 1)...].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        return (UnsafeRawBufferPointer(rebasing: stored[..<keyCount]), version)
    }

    /// Calls `body` with the newest visible version of `key`: its JSON bytes, or nil when the
    /// key is absent or deleted. The bytes are LMDB's, valid only during the call.
    func withCurrent<T>(_ view: View, _ key: String, in txn: borrowing Transaction,
                        _ body: (UnsafeRawBufferPointer?) throws -> T) throws -> T
    {
        try withStoredKey(key) { try withCurrent(view, stored: $0, in: txn, body) }
    }

    private func withCurrent<T>(_ view: View, stored: UnsafeRawBufferPointer, in txn: borrowing Transaction,
                                _ body: (UnsafeRawBufferPointer?) throws -> T) throws -> T
    {
        try txn.withEntry(in: database(view), atOrBefore: stored) { entry in
            // The entry found is a version of this key, or of the key before it.
            let text = UnsafeRawBufferPointer(rebasing: stored.prefix(stored.count - Self.versionByteCount))
            guard let entry, let (found, _) = Self.split(entry.key), found.hasSameBytes(as: text), !entry.value.isEmpty else {
                return try body(nil)
            }
            return try body(entry.value)
        }
    }

    func get(_ view: View, _ key: String, in txn: borrowing Transaction) throws -> JSONValue? {
        try withCurrent(view, key, in: txn) { raw in
            try raw.map { try CanonicalJSON.decodeTrusted($0) }
        }
    }

    /// Writes `value`'s canonical JSON as the version of `key` this record writes: a plain
    /// value (a name, a key id, a counter); rows of a type go through ``ViewRow``.
    func put(_ view: View, _ key: String, _ value: JSONValue, in txn: borrowing Transaction) throws {
        try write(view, key, CanonicalJSON.encode(value), in: txn)
    }

    /// Writes `encoded`, a row's canonical JSON (``ViewRow/row``).
    func put(_ view: View, _ key: String, encoded: [UInt8], in txn: borrowing Transaction) throws {
        try write(view, key, encoded, in: txn)
    }

    /// ``put(_:_:encoded:in:)``, unless the visible row of `key` already holds exactly these
    /// bytes: a version nobody can tell from the one before would only lengthen every scan.
    func putIfChanged(_ view: View, _ key: String, encoded: [UInt8], in txn: borrowing Transaction) throws {
        let unchanged = try withCurrent(view, key, in: txn) { current in
            current.map { current in encoded.withUnsafeBytes { current.hasSameBytes(as: $0) } } ?? false
        }
        if !unchanged { try put(view, key, encoded: encoded, in: txn) }
    }

    /// Records that `key` is gone from this record on; a key that is not there stays untouched.
    func delete(_ view: View, _ key: String, in txn: borrowing Transaction) throws {
        guard try contains(view, key, in: txn) else { return }
        try write(view, key, [], in: txn)
    }

    private func write(_ view: View, _ key: String, _ value: [UInt8], in txn: borrowing Transaction) throws {
        try withStoredKey(key) { stored in try value.withUnsafeBytes { try write(view, stored: stored, $0, in: txn) } }
    }

    private func write(_ view: View, stored: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer, in txn: borrowing Transaction) throws {
        // The zero byte ends the text of every stored key; a name carrying one (possible in
        // a hand-made signed request) would read as another key's version.
        guard memchr(stored.baseAddress!, 0, stored.count - Self.versionByteCount) == nil else {
            throw DomainError("a name may not contain a zero byte")
        }
        try txn.put(database(view), key: stored, value: value)
    }

    func contains(_ view: View, _ key: String, in txn: borrowing Transaction) throws -> Bool {
        try withCurrent(view, key, in: txn) { $0 != nil }
    }

    /// Visits the visible entries whose key starts with `prefix`, in key order, until `body`
    /// returns false: for each key, its newest version at or before ``sequence``, unless that
    /// version is a deletion. Buffers are valid only during each call.
    private func forEachVisible(_ view: View, prefix: String, in txn: borrowing Transaction,
                                _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Bool) throws
    {
        let prefixBytes = Array(prefix.utf8)
        // The versions of one key are adjacent and oldest first: hold the newest visible one
        // until the key changes. LMDB's buffers stay valid until the transaction's next update,
        // and nothing is written while this runs, so they are held without copying.
        var heldKey: UnsafeRawBufferPointer?, heldValue: UnsafeRawBufferPointer?
        var keepGoing = true
        func release() throws {
            if let key = heldKey, let value = heldValue, !value.isEmpty { keepGoing = try body(key, value) }
            heldValue = nil
        }
        try txn.forEach(in: database(view), from: prefixBytes) { stored, value in
            guard stored.starts(with: prefixBytes), let (key, version) = Self.split(stored) else { return false }
            if heldKey.map({ !key.hasSameBytes(as: $0) }) ?? true {
                try release()
                guard keepGoing else { return false }
                heldKey = key
            }
            if version <= sequence { heldValue = value }
            return true
        }
        if keepGoing { try release() }
    }

    /// The first visible key starting with `prefix`, or nil.
    func firstKey(_ view: View, prefix: String, in txn: borrowing Transaction) throws -> String? {
        var first: String?
        try forEachVisible(view, prefix: prefix, in: txn) { key, _ in
            first = String(decoding: key, as: UTF8.self)
            return false
        }
        return first
    }

    /// The last visible key starting with `prefix`, or nil.
    func lastKey(_ view: View, prefix: String, in txn: borrowing Transaction) throws -> String? {
        var last: String?
        try forEachVisible(view, prefix: prefix, in: txn) { key, _ in
            last = String(decoding: key, as: UTF8.self)
            return true
        }
        return last
    }

    /// The visible keys starting with `prefix`, in key order; their values are not read.
    func keys(_ view: View, prefix: String = "", in txn: borrowing Transaction) throws -> [String] {
        var found: [String] = []
        try forEachVisible(view, prefix: prefix, in: txn) { key, _ in
            found.append(String(decoding: key, as: UTF8.self))
            return true
        }
        return found
    }

    /// Visible entries whose key starts with `prefix`, in key order.
    func scan(_ view: View, prefix: String = "", in txn: borrowing Transaction) throws -> [(String, JSONValue)] {
        var found: [(String, JSONValue)] = []
        try forEachVisible(view, prefix: prefix, in: txn) { key, value in
            found.append((String(decoding: key, as: UTF8.self), try CanonicalJSON.decodeTrusted(value)))
            return true
        }
        return found
    }

    /// Every visible row whose key starts with `prefix`, read as a `Row`, in key order.
    /// LMDB's buffers stay valid until the transaction's next update, and nothing is written
    /// meanwhile, so many rows are read on every core at once: reading rows is what a long
    /// `list` (live or `at=`) spends its time on.
    func rows<Row: ViewRow>(_ view: View, prefix: String = "", as type: Row.Type, in txn: borrowing Transaction) throws -> [Row] {
        var stored: [MappedValue] = []
        try forEachVisible(view, prefix: prefix, in: txn) { _, value in
            stored.append(MappedValue(bytes: value))
            return true
        }
        let values = stored  // immutable, so the reading threads may share it
        @Sendable func read(_ range: Range<Int>) throws -> [Row] {
            try values[range].map { try FieldReader.read(row: $0.bytes, of: view, Row.init(row:)) }
        }
        // A few rows (a host's interfaces) are read where they are asked for; handing them to
        // other threads would cost more than reading them.
        let chunkCount = min(values.count / Self.rowsPerChunk, 64)
        guard chunkCount > 1 else { return try read(values.indices) }
        let chunkSize = (values.count + chunkCount - 1) / chunkCount
        let chunks = Mutex<[Result<[Row], any Error>?]>(Array(repeating: nil, count: chunkCount))
        DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
            let result = Result { try read(min(chunk * chunkSize, values.count)..<min((chunk + 1) * chunkSize, values.count)) }
            chunks.withLock { $0[chunk] = result }
        }
        return try chunks.withLock { results in try results.flatMap { try $0!.get() } }
    }

    /// The fewest rows ``rows(_:prefix:as:in:)`` hands to another thread at once.
    private static let rowsPerChunk = 64

    /// Visible entries of `view` as stored bytes, in key order: what an auditor compares.
    func storedRows(_ view: View, in txn: borrowing Transaction) throws -> [(key: [UInt8], value: [UInt8])] {
        var rows: [([UInt8], [UInt8])] = []
        try forEachVisible(view, prefix: "", in: txn) { key, value in
            rows.append((Array(key), Array(value)))
            return true
        }
        return rows
    }
}

/// A value LMDB returned, valid until its transaction's next update: handed to the threads
/// that parse it while the transaction waits for them.
private struct MappedValue: @unchecked Sendable {
    let bytes: UnsafeRawBufferPointer
}
