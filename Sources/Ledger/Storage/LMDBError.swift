import CLMDB

/// An error code returned by LMDB, or an errno it passed through.
///
/// A struct rather than a closed enum, because LMDB returns system error numbers too.
public struct LMDBError: Error, Equatable, Sendable, CustomStringConvertible {
    public let code: Int32

    public init(code: Int32) { self.code = code }

    /// The key is already present. The corresponding C error is `MDB_KEYEXIST`.
    public static let keyExists = LMDBError(code: MDB_KEYEXIST)
    /// No such key. The corresponding C error is `MDB_NOTFOUND`.
    public static let notFound = LMDBError(code: MDB_NOTFOUND)
    /// The memory map is full. The corresponding C error is `MDB_MAP_FULL`.
    public static let mapFull = LMDBError(code: MDB_MAP_FULL)
    /// Another process grew the map. The corresponding C error is `MDB_MAP_RESIZED`.
    public static let mapResized = LMDBError(code: MDB_MAP_RESIZED)
    /// The file is not an LMDB environment. The corresponding C error is `MDB_INVALID`.
    public static let invalid = LMDBError(code: MDB_INVALID)

    /// The file is not a sound LMDB environment: not one at all, another LMDB version's,
    /// or pages missing or damaged.
    public var meansDamage: Bool {
        [MDB_INVALID, MDB_VERSION_MISMATCH, MDB_CORRUPTED, MDB_PAGE_NOTFOUND].contains(code)
    }

    public var description: String {
        String(cString: mdb_strerror(code))
    }
}
