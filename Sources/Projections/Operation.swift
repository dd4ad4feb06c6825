import Ledger
import Signing

/// One kind of request the domain understands, named by its Rocks command words.
///
/// `decide` runs once, at append time, and may read the views and allocate; its result is
/// stored in the record. `apply` runs at append time and on every rebuild, and only folds
/// the request and its stored decision into the views.
protocol Operation: Sendable {
    /// The command words, e.g. `add host key`.
    var op: String { get }
    /// The key roles allowed to ask for this operation.
    var allowedRoles: Set<KeyEntry.Role> { get }

    func decide(_ request: RequestEnvelope, context: AppendContext, views: ViewStore, in txn: borrowing Transaction) throws -> JSONValue
    func apply(_ request: RequestEnvelope, decision: JSONValue, record: Record, views: ViewStore, in txn: borrowing Transaction) throws
    /// What `apply` can work out from the decision alone, without the views: a rebuild calls
    /// it on its parsing thread, ahead of the fold.
    func prepare(_ request: RequestEnvelope, decision: JSONValue, record: Record) throws -> (any Sendable)?
    /// `apply`, given what `prepare` returned.
    func apply(_ request: RequestEnvelope, decision: JSONValue, prepared: (any Sendable)?, record: Record, views: ViewStore,
               in txn: borrowing Transaction) throws
    func keysIntroduced(_ request: RequestEnvelope, decision: JSONValue) -> [PublicKey]
    func keysRevoked(_ request: RequestEnvelope, decision: JSONValue) -> [KeyID]
}

extension Operation {
    func prepare(_ request: RequestEnvelope, decision: JSONValue, record: Record) throws -> (any Sendable)? { nil }

    func apply(_ request: RequestEnvelope, decision: JSONValue, prepared: (any Sendable)?, record: Record, views: ViewStore,
               in txn: borrowing Transaction) throws
    {
        try apply(request, decision: decision, record: record, views: views, in: txn)
    }

    func keysIntroduced(_ request: RequestEnvelope, decision: JSONValue) -> [PublicKey] { [] }

    /// By default, the key ids a decision lists under `revoked-keys`.
    func keysRevoked(_ request: RequestEnvelope, decision: JSONValue) -> [KeyID] {
        (decision["revoked-keys"]?.arrayValue ?? []).compactMap { $0.stringValue.flatMap(KeyID.init(hex:)) }
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

extension JSONValue {
    /// A field a decider wrote; its absence means the record is not what this code wrote.
    func decided(_ name: String) throws(DomainError) -> JSONValue {
        guard let value = self[name] else { throw DomainError("the stored decision lacks '\(name)'") }
        return value
    }
}
