import Ledger
import Signing

/// One kind of request the domain understands, named by its Rocks command words.
///
/// Appending a request calls ``authorize(_:_:views:in:)`` and ``decide(_:context:views:in:)``
/// once; the decision is stored in the record. Appending and rebuilding then fold the record
/// the same way, through ``prepare(_:)`` and ``fold(_:record:into:in:)``. No requirement has a
/// default: each operation says each of these things itself.
protocol Operation: Sendable {
    /// What folding one record needs, read from the record alone: its decision's values.
    associatedtype Prepared: Sendable

    /// The command words, e.g. `add host key`.
    var op: String { get }

    /// Whether `signer` may ask for `request`, judged on the views inside the append
    /// transaction: by the key's role, or by what the key owns.
    func authorize(_ signer: KeyEntry, _ request: RequestEnvelope, views: ViewStore, in txn: borrowing Transaction) throws -> Authorization

    /// Takes every decision the request needs (names, addresses, placement, ids), reading
    /// the views and allocating. Runs once, at append time; its result is stored in the record.
    func decide(_ request: RequestEnvelope, context: AppendContext, views: ViewStore, in txn: borrowing Transaction) throws -> JSONValue

    /// Reads the record's decision (and, where needed, its request) into values: pure, on
    /// any thread. A decision this code cannot read is refused, naming the record.
    func prepare(_ record: Record) throws -> Prepared

    /// Folds the decided values into the views, building each row through its codec.
    func fold(_ prepared: Prepared, record: Record, into views: ViewStore, in txn: borrowing Transaction) throws

    /// Public keys the record brings into force, read from the record alone: `ledger verify`
    /// asks for every record, so this reads what it needs and builds no rows.
    func keysIntroduced(by record: Record) throws -> [PublicKey]

    /// Key ids the record takes out of force.
    func keysRevoked(by record: Record) throws -> [KeyID]
}

/// Whether a key may ask for an operation.
enum Authorization: Sendable, Equatable {
    case allowed
    /// Refused, recorded as a `denied` record with this reason.
    case denied(String)

    /// Allowed to keys of `roles` only.
    static func role(_ signer: KeyEntry, in roles: Set<KeyEntry.Role>, for request: RequestEnvelope) -> Authorization {
        if roles.contains(signer.role) { return .allowed }
        let who = signer.host.map { "host \($0)'s key" } ?? "the \(signer.role.rawValue) key"
        return .denied("\(who) \(signer.id.short) may not '\(request.op)'")
    }
}

extension RequestEnvelope {
    /// A required argument, or the error Rocks would print.
    func argument(_ name: String, missing message: String? = nil) throws(DomainError) -> String {
        guard let value = args[name], !value.isEmpty else {
            throw DomainError(message ?? "must supply \(name)")
        }
        return value
    }
}
