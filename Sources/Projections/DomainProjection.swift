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

    /// A rebuild's preparation of one record, as its reading thread hands it over: one object
    /// (``RecordFold``), which the fold gets back from an `any Sendable` with one class cast.
    public func prepare(_ record: Record) -> (any Sendable)? {
        guard let operation = operations[record.op] else { return nil }
        // A denied request is history, not state, whatever its op.
        if record.denial != nil { return RecordFold() }
        do {
            return try operation.prepare(record) ?? ParsedFold(operation: operation, request: record.request.envelope,
                                                                decision: record.parsedDecision())
        } catch {
            // Thrown when the fold reaches the record, as folding it would.
            return FailedFold(error)
        }
    }

    public func apply(_ record: Record, prepared: (any Sendable)?, in txn: borrowing Transaction, environment: LMDBEnvironment) throws {
        try apply(record, prepared: prepared, views: ViewStore(environment: environment, sequence: record.sequence), in: txn)
    }

    /// A rebuild looks up the views' databases once: by name, for each read and write, the
    /// lookups were a tenth of the fold's instructions.
    public func rebuildFold(environment: LMDBEnvironment) -> any RebuildFold {
        precondition(View.ordinalsAreTags, "the views' table would be read at the wrong places")
        return Rebuild(projection: self, environment: environment, databases: View.all.map { environment.database($0.rawValue) })
    }

    private struct Rebuild: RebuildFold {
        let projection: DomainProjection
        let environment: LMDBEnvironment
        let databases: [Database]

        func apply(_ record: Record, prepared: (any Sendable)?, in txn: borrowing Transaction) throws {
            let views = ViewStore(environment: environment, sequence: record.sequence, databases: databases)
            try projection.apply(record, prepared: prepared, views: views, in: txn)
        }
    }

    private func apply(_ record: Record, prepared: (any Sendable)?, views: ViewStore, in txn: borrowing Transaction) throws {
        // What a rebuild's reading thread prepared (see `prepare`).
        if let fold = prepared as? RecordFold { return try fold.fold(record: record, views: views, in: txn) }
        // On append, the same work done here.
        if record.denial != nil { return }
        let operation = try operation(record.op)
        if let fold = try operation.prepare(record) { return try fold.fold(record: record, views: views, in: txn) }
        try operation.apply(try record.request.envelope, decision: try record.parsedDecision(), record: record, views: views, in: txn)
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
