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
        try ViewStore(environment: environment).get(.keys, id.hex, in: txn).map { try KeyEntry(json: $0).publicKey() }
    }

    public func decide(_ request: SignedRequest, context: AppendContext, in txn: borrowing Transaction,
                       environment: LMDBEnvironment) throws -> JSONValue
    {
        let envelope = request.envelope
        let operation = try operation(envelope.op)
        let views = ViewStore(environment: environment)
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
        let decision = record.decisionJSON
        // A denied request is history, not state.
        guard decision["denied"] == nil else { return }
        try operation(record.op).apply(record.request.envelope, decision: decision, record: record,
                                       views: ViewStore(environment: environment), in: txn)
    }

    public func keysIntroduced(by record: Record) -> [PublicKey] {
        let decision = record.decisionJSON
        guard decision["denied"] == nil, let operation = operations[record.op] else { return [] }
        return operation.keysIntroduced(record.request.envelope, decision: decision)
    }

    public func keysRevoked(by record: Record) -> [KeyID] {
        let decision = record.decisionJSON
        guard decision["denied"] == nil, let operation = operations[record.op] else { return [] }
        return operation.keysRevoked(record.request.envelope, decision: decision)
    }

    // MARK: Queries for the commands

    /// A host's keys in Rocks' id order, or every host's when `hosts` is empty.
    public func hostKeys(_ hostNames: [String], in txn: borrowing Transaction, environment: LMDBEnvironment) throws -> [(host: String, key: KeyEntry)] {
        let views = ViewStore(environment: environment)
        let hosts = hostNames.isEmpty ? try HostResolver(views: views).allHosts(in: txn) : try HostResolver(views: views).resolve(hostNames, in: txn)
        var result: [(String, KeyEntry)] = []
        for host in hosts {
            for (_, keyID) in try views.scan(.hostKeys, prefix: host.name + "/", in: txn) {
                guard let hex = keyID.stringValue, let entry = try views.get(.keys, hex, in: txn) else { continue }
                result.append((host.name, try KeyEntry(json: entry)))
            }
        }
        return result
    }

    public func frontendSettings(in txn: borrowing Transaction, environment: LMDBEnvironment) throws -> FrontendSettings? {
        try ViewStore(environment: environment).get(.settings, FrontendSettings.key, in: txn).map(FrontendSettings.init(json:))
    }
}
