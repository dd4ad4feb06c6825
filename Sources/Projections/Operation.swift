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
    /// Folds a record from its parsed decision.
    func apply(_ request: RequestEnvelope, decision: JSONValue, record: Record, views: ViewStore, in txn: borrowing Transaction) throws
    /// What folding `record` needs, read from the record alone: its decision's bytes in place
    /// (``Record/withDecision(_:)``), no parse tree, no view, and nothing of the request but
    /// the op (a rebuild leaves the rest unparsed). A rebuild calls it on its parsing thread,
    /// ahead of the fold. Nil, the default, for an operation that folds from the parsed
    /// request and decision instead.
    func prepare(_ record: Record) throws -> RecordFold?
    func keysIntroduced(_ request: RequestEnvelope, decision: JSONValue) -> [PublicKey]
    func keysRevoked(_ request: RequestEnvelope, decision: JSONValue) -> [KeyID]
}

extension Operation {
    func prepare(_ record: Record) throws -> RecordFold? { nil }

    func keysIntroduced(_ request: RequestEnvelope, decision: JSONValue) -> [PublicKey] { [] }

    /// The error for a stored decision this operation did not write.
    func malformed(_ record: Record) -> DomainError {
        DomainError("record \(record.sequence) is not a valid '\(op)'")
    }

    /// By default, the key ids a decision lists under `revoked-keys`.
    func keysRevoked(_ request: RequestEnvelope, decision: JSONValue) -> [KeyID] {
        (decision["revoked-keys"]?.arrayValue ?? []).compactMap { $0.stringValue.flatMap(KeyID.init(hex:)) }
    }
}

/// An operation that folds only from what it reads out of the record's bytes: appending and
/// rebuilding fold it the same way, and the fold receives exactly the type prepared for it.
protocol PreparedOperation: Operation {
    associatedtype Prepared: Sendable
    /// ``Operation/prepare(_:)``, typed.
    func prepareFold(_ record: Record) throws -> Prepared
    /// ``Operation/apply(prepared:record:views:in:)``, typed.
    func fold(_ prepared: Prepared, record: Record, views: ViewStore, in txn: borrowing Transaction) throws
}

extension PreparedOperation {
    func prepare(_ record: Record) throws -> RecordFold? {
        TypedPreparedFold(operation: self, prepared: try prepareFold(record))
    }

    func apply(_ request: RequestEnvelope, decision: JSONValue, record: Record, views: ViewStore, in txn: borrowing Transaction) throws {
        try fold(try prepareFold(record), record: record, views: views, in: txn)
    }
}

/// A record's fold worked out ahead (``Operation/prepare(_:)``, or a rebuild's reading thread),
/// ready to write: one object, so handing it from the parsing thread to the fold is one
/// reference, and folding it one call. The base class folds nothing: a denied request is
/// history, not state.
///
/// A class hierarchy rather than a protocol: the fold gets one back from an `any Sendable`
/// with a class cast, where a cast to a protocol looks the conformance up. Unchecked
/// `Sendable`: every subclass holds only constants of `Sendable` types.
class RecordFold: @unchecked Sendable {
    func fold(record: Record, views: ViewStore, in txn: borrowing Transaction) throws {}
}

/// What a ``PreparedOperation`` prepared, with the operation that folds it.
private final class TypedPreparedFold<Operation: PreparedOperation>: RecordFold, @unchecked Sendable {
    let operation: Operation
    let prepared: Operation.Prepared

    init(operation: Operation, prepared: Operation.Prepared) {
        self.operation = operation
        self.prepared = prepared
    }

    override func fold(record: Record, views: ViewStore, in txn: borrowing Transaction) throws {
        try operation.fold(prepared, record: record, views: views, in: txn)
    }
}

/// The request and decision parsed, for an operation that folds from the trees.
final class ParsedFold: RecordFold, @unchecked Sendable {
    let operation: any Operation
    let request: RequestEnvelope
    let decision: JSONValue

    init(operation: any Operation, request: RequestEnvelope, decision: JSONValue) {
        (self.operation, self.request, self.decision) = (operation, request, decision)
    }

    override func fold(record: Record, views: ViewStore, in txn: borrowing Transaction) throws {
        try operation.apply(request, decision: decision, record: record, views: views, in: txn)
    }
}

/// A record that could not be prepared: folding it throws what preparing it threw.
final class FailedFold: RecordFold, @unchecked Sendable {
    let error: any Error

    init(_ error: any Error) { self.error = error }

    override func fold(record: Record, views: ViewStore, in txn: borrowing Transaction) throws { throw error }
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
