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
///
/// A record is folded one way, whether it was just appended or is read again by a rebuild:
/// ``prepare(_:)`` then ``fold(_:record:in:environment:)``. No requirement has a default, so
/// a projection that wraps another forwards every one of them.
public protocol LedgerProjection: Sendable {
    /// What folding one record needs that reads no view: its decision read, its rows made.
    associatedtype Prepared: Sendable

    /// The named databases holding the views; `rebuild` empties and refills exactly these.
    var viewNames: [String] { get }

    /// The public key `id` names, if it is in force now, read from the views.
    func keyInForce(_ id: KeyID, in txn: borrowing Transaction, environment: LMDBEnvironment) throws -> PublicKey?

    /// Authorises `request` and takes every decision it needs (names, addresses, ids),
    /// reading the views as they are inside the append transaction. Throwing refuses the
    /// request, and nothing is appended; returning `{"denied": reason}` records a refusal.
    func decide(_ request: SignedRequest, context: AppendContext, in txn: borrowing Transaction,
                environment: LMDBEnvironment) throws -> JSONValue

    /// The part of folding `record` that reads nothing but the record: pure, callable on any
    /// thread (a rebuild calls it on its reading thread, records ahead of the fold).
    func prepare(_ record: Record) throws -> Prepared

    /// Folds `record` into the views, given what ``prepare(_:)`` made of it. Reads only the
    /// record and the views, never the clock, and never allocates, so a rebuild gives the
    /// same views as the appends did.
    func fold(_ prepared: Prepared, record: Record, in txn: borrowing Transaction, environment: LMDBEnvironment) throws

    /// Public keys a record brings into the ledger, so `verify` can check later signatures
    /// without trusting the views.
    func keysIntroduced(by record: Record) -> [PublicKey]

    /// Keys a record takes out of force, so `verify` refuses later signatures by them.
    func keysRevoked(by record: Record) -> [KeyID]
}

extension LedgerProjection {
    /// Folds `record` as appending it does: prepared, then folded, on this thread.
    public func prepareAndFold(_ record: Record, in txn: borrowing Transaction, environment: LMDBEnvironment) throws {
        try fold(try prepare(record), record: record, in: txn, environment: environment)
    }
}
