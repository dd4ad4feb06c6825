import Ledger
import Signing

/// The KVM Roll's domain as a ledger projection: it authorises each request by the role of
/// its key, lets the operation decide, and folds records into the views.
public struct DomainProjection: LedgerProjection {
    let operations: [String: any Operation]

    public init() {
        self.init(operations: [
            InitOperation(), AddHostKey(), RemoveHostKey(), AddHostOperation(), AddHostInterfaceOperation(),
            AddHostVMOperation(), AddClusterOperation(), RemoveHostVMOperation(), RemoveHostOperation(), RemoveClusterOperation(),
            RemoveHostInterfaceOperation(), RecordOutcomeOperation(), SetHostCPUsOperation(),
            HostAttributeOperation.set, HostAttributeOperation.remove, SetHostVMOperation(), SetAllocationOperation(),
            SyncHostNetworkOperation(), PowerOperation.start, PowerOperation.stop,
            RecordObservationOperation(), RecordObservationGapOperation(),
        ] + SetHostInterfaceOperation.all + SetHostActionOperation.all)
    }

    init(operations: [any Operation]) {
        self.operations = Dictionary(uniqueKeysWithValues: operations.map { ($0.op, $0) })
    }

    /// The command words this projection accepts.
    public var ops: [String] { operations.keys.sorted() }

    public var viewNames: [String] { View.names }

    private func operation(_ op: String) throws -> any Operation {
        guard let operation = operations[op] else { throw DomainError("unknown operation '\(op)'") }
        return operation
    }

    public func keyInForce(_ id: KeyID, in txn: borrowing Transaction, environment: LMDBEnvironment) throws -> PublicKey? {
        try ViewStore.live(environment).get(.keys, id.hex, in: txn).map { try KeyEntry(json: $0).publicKey() }
    }

    public func decide(_ request: SignedRequest, context: AppendContext, in txn: borrowing Transaction,
                       environment: LMDBEnvironment) throws -> JSONValue
    {
        let envelope = request.envelope
        let operation = try operation(envelope.op)
        let views = ViewStore(environment: environment, sequence: context.sequence)
        if context.sequence > 1 {
            // The genesis record brings its own key; every later request needs a key in force.
            guard let signer = try views.get(.keys, envelope.key.hex, in: txn).map(KeyEntry.init(json:)) else {
                throw DomainError("request signed by unknown key \(envelope.key.short)")
            }
            guard operation.allowedRoles.contains(signer.role) else {
                let who = signer.host.map { "host \($0)'s key" } ?? "the \(signer.role.rawValue) key"
                return .object(["denied": .string("\(who) \(envelope.key.short) may not '\(envelope.op)'")])
            }
        }
        return try operation.decide(envelope, context: context, views: views, in: txn)
    }

    public func apply(_ record: Record, in txn: borrowing Transaction, environment: LMDBEnvironment) throws {
        try apply(record, prepared: nil, in: txn, environment: environment)
    }

    /// What a record's fold starts from, worked out without the views.
    private enum Preparation: Sendable {
        /// A denied request is history, not state.
        case denied
        /// What the operation read from the record in place.
        case prepared(any Sendable)
        /// The request and the decision parsed, for an operation that folds from the tree.
        case parsed(RequestEnvelope, JSONValue)
    }

    public func prepare(_ record: Record) -> (any Sendable)? {
        guard let operation = operations[record.op] else { return nil }
        // An error is kept and thrown when the fold reaches the record, as folding it would.
        return Result { () throws -> Preparation in record.denial != nil ? .denied : try preparation(by: operation, of: record) }
    }

    private func preparation(by operation: any Operation, of record: Record) throws -> Preparation {
        if let prepared = try operation.prepare(record) { return .prepared(prepared) }
        return .parsed(try record.request.envelope, try record.parsedDecision())
    }

    public func apply(_ record: Record, prepared: (any Sendable)?, in txn: borrowing Transaction, environment: LMDBEnvironment) throws {
        // A denied request is history, not state, whatever its op (a rebuild's reading thread
        // has already looked, and prepared `.denied`).
        if prepared == nil, record.denial != nil { return }
        let operation = try operation(record.op)
        // What a rebuild's reading thread prepared; on append, the same work done here.
        let preparation = try (prepared as? Result<Preparation, any Error>)?.get() ?? preparation(by: operation, of: record)
        let views = ViewStore(environment: environment, sequence: record.sequence)
        switch preparation {
        case .denied: return
        case .prepared(let work): try operation.apply(prepared: work, record: record, views: views, in: txn)
        case .parsed(let request, let decision): try operation.apply(request, decision: decision, record: record, views: views, in: txn)
        }
    }

    public func keysIntroduced(by record: Record) -> [PublicKey] {
        guard let (operation, request, decision) = granted(record) else { return [] }
        return operation.keysIntroduced(request, decision: decision)
    }

    public func keysRevoked(by record: Record) -> [KeyID] {
        guard let (operation, request, decision) = granted(record) else { return [] }
        return operation.keysRevoked(request, decision: decision)
    }

    /// A record's operation, request and decision, unless it was denied or cannot be read.
    private func granted(_ record: Record) -> (any Operation, RequestEnvelope, JSONValue)? {
        guard record.denial == nil, let operation = operations[record.op], let request = try? record.request,
              let decision = try? record.parsedDecision()
        else { return nil }
        return (operation, request.envelope, decision)
    }

    // MARK: Queries for the commands

    public func frontendSettings(in txn: borrowing Transaction, environment: LMDBEnvironment) throws -> FrontendSettings? {
        try ViewStore.live(environment).get(.settings, FrontendSettings.key, in: txn).map(FrontendSettings.init(json:))
    }
}
