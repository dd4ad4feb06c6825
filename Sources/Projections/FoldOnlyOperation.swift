import Ledger
import Signing

/// An operation whose decider traps: a projection built from these can fold the log but
/// never decide, which is how tests prove that folding never allocates.
struct FoldOnlyOperation: Operation {
    let wrapped: any Operation
    var op: String { wrapped.op }
    var allowedRoles: Set<KeyEntry.Role> { wrapped.allowedRoles }

    func decide(_ request: RequestEnvelope, context: AppendContext, views: ViewStore, in txn: borrowing Transaction) throws -> JSONValue {
        fatalError("'\(op)' was decided while folding: folds must read decisions, never take them")
    }

    func apply(_ request: RequestEnvelope, decision: JSONValue, record: Record, views: ViewStore, in txn: borrowing Transaction) throws {
        try wrapped.apply(request, decision: decision, record: record, views: views, in: txn)
    }

    // Forwarded, so a fold-only rebuild takes the path a real one takes: prepared on the
    // parsing thread, folded on the fold's.
    func prepare(_ record: Record) throws -> RecordFold? {
        try wrapped.prepare(record)
    }

    func keysIntroduced(_ request: RequestEnvelope, decision: JSONValue) -> [PublicKey] {
        wrapped.keysIntroduced(request, decision: decision)
    }

    func keysRevoked(_ request: RequestEnvelope, decision: JSONValue) -> [KeyID] {
        wrapped.keysRevoked(request, decision: decision)
    }
}

extension DomainProjection {
    /// The same folds, with every decider replaced by one that traps.
    public static func foldOnly() -> DomainProjection {
        DomainProjection(operations: DomainProjection().operations.values.map { FoldOnlyOperation(wrapped: $0) })
    }
}
