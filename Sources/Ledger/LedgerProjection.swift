import Signing

/// What the ledger knows about the record it is about to append.
public struct AppendContext: Sendable {
    public let ledger: LedgerID
    /// The sequence number the record will have.
    public let sequence: UInt64
    /// The append time the record will carry.
    public let time: Timestamp
}

/// The state machine on top of the log: the projection layer implements it, the ledger
/// calls it inside each append transaction and on rebuild.
///
/// The ledger owns integrity (signatures, chain, nonces, freshness, checkpoints); the
/// projection owns meaning (who may do what, what gets allocated, what the views say).
public protocol LedgerProjection: Sendable {
    /// The named databases holding the views; `rebuild` empties and refills exactly these.
    var viewNames: [String] { get }

    /// The public key `id` names, if it is in force now, read from the views.
    func keyInForce(_ id: KeyID, in txn: borrowing Transaction, environment: LMDBEnvironment) throws -> PublicKey?

    /// Authorises `request` and takes every decision it needs (names, addresses, ids),
    /// reading the views as they are inside the append transaction. Throwing refuses the
    /// request, and nothing is appended; returning `{"denied": reason}` records a refusal.
    func decide(_ request: SignedRequest, context: AppendContext, in txn: borrowing Transaction,
                environment: LMDBEnvironment) throws -> JSONValue

    /// Folds one record into the views. Must only read the record and the views: never the
    /// clock, never allocate, so that a rebuild gives the same views.
    func apply(_ record: Record, in txn: borrowing Transaction, environment: LMDBEnvironment) throws

    /// The part of folding `record` that reads no view (decoding what it decided, encoding
    /// the rows it will write). A rebuild calls it on its parsing thread, records ahead of
    /// the fold, and hands the result to ``apply(_:prepared:in:environment:)``.
    func prepare(_ record: Record) -> (any Sendable)?

    /// Folds `record`, given what ``prepare(_:)`` returned for it.
    func apply(_ record: Record, prepared: (any Sendable)?, in txn: borrowing Transaction, environment: LMDBEnvironment) throws

    /// Starts a rebuild's fold of the whole log, in log order: what the projection sets up once
    /// for all its records, rather than once per record as an append does.
    func rebuildFold(environment: LMDBEnvironment) -> any RebuildFold

    /// Public keys a record brings into the ledger, so `verify` can check later signatures
    /// without trusting the views.
    func keysIntroduced(by record: Record) -> [PublicKey]

    /// Keys a record takes out of force, so `verify` refuses later signatures by them.
    func keysRevoked(by record: Record) -> [KeyID]
}

extension LedgerProjection {
    public func keysRevoked(by record: Record) -> [KeyID] { [] }

    /// By default nothing is done ahead, and the fold does it all.
    public func prepare(_ record: Record) -> (any Sendable)? { nil }

    public func apply(_ record: Record, prepared: (any Sendable)?, in txn: borrowing Transaction, environment: LMDBEnvironment) throws {
        try apply(record, in: txn, environment: environment)
    }

    /// By default a rebuild folds each record as an append does.
    public func rebuildFold(environment: LMDBEnvironment) -> any RebuildFold {
        AppendLikeRebuildFold(projection: self, environment: environment)
    }
}

/// A rebuild's fold of every record, in log order, inside the rebuild's write transaction.
public protocol RebuildFold {
    /// Folds `record`, given what ``LedgerProjection/prepare(_:)`` returned for it.
    func apply(_ record: Record, prepared: (any Sendable)?, in txn: borrowing Transaction) throws
}

/// Folds each record through ``LedgerProjection/apply(_:prepared:in:environment:)``.
private struct AppendLikeRebuildFold<Projection: LedgerProjection>: RebuildFold {
    let projection: Projection
    let environment: LMDBEnvironment

    func apply(_ record: Record, prepared: (any Sendable)?, in txn: borrowing Transaction) throws {
        try projection.apply(record, prepared: prepared, in: txn, environment: environment)
    }
}
