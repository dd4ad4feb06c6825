import Foundation
import Ledger
import Signing

/// The KVM Roll's domain as a ledger projection: it checks the signer's key and lets the
/// operation authorise and decide; it folds each record through its operation.
public struct DomainProjection: LedgerProjection {
    let operations: [String: any Operation]
    /// Keys read from the views' PEM once: OpenSSL 3 decodes a PEM key slowly, and every
    /// append looks its signer's key up twice.
    private let parsedKeys = ParsedKeys()

    public init() {
        self.init(operations: [
            InitOperation(), AddHostKey(), RemoveHostKey(), AddHostOperation(), AddHostInterfaceOperation(),
            AddHostVMOperation(), AddClusterOperation(), RemovalOperation(decider: RemoveHostVM()), RemovalOperation(decider: RemoveHost()),
            RemovalOperation(decider: RemoveCluster()), RemoveHostInterfaceOperation(), RecordOutcomeOperation(), SetHostCPUsOperation(),
            HostAttributeOperation.set, HostAttributeOperation.remove, SetHostVMOperation(), SetAllocationOperation(),
            SyncHostNetworkOperation(), PowerOperation.start, PowerOperation.stop,
            RecordObservationOperation(), RecordObservationGapOperation(),
            SetHostPowerOperation.host, SetHostPowerOperation.cluster, ListHostMACsOperation(), OpenHostConsoleOperation(),
            RecordConsoleSessionOperation(),
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

    /// The key, or nil when this ledger never knew it; a key taken out of force is refused
    /// naming the record that revoked it.
    public func keyInForce(_ id: KeyID, in txn: borrowing Transaction, environment: LMDBEnvironment) throws -> PublicKey? {
        let views = ViewStore.live(environment)
        if let entry = try views.row(.keys, id.hex, as: KeyEntry.self, in: txn) { return try parsedKeys.key(id) { try entry.publicKey() } }
        if let revoked = try views.get(.settings, RemoveHostKey.revokedKey(id), in: txn)?.integerValue {
            throw LedgerError(.keyNotInForce, "request signed by key \(id.short), revoked by record \(revoked)")
        }
        return nil
    }

    public func decide(_ request: SignedRequest, context: AppendContext, in txn: borrowing Transaction,
                       environment: LMDBEnvironment) throws -> JSONValue
    {
        let envelope = request.envelope
        let operation = try operation(envelope.op)
        let views = ViewStore(environment: environment, sequence: context.sequence)
        try envelope.checkPrintable()
        if context.sequence > 1 {
            let format = try views.get(.settings, InitOperation.formatKey, in: txn)?.integerValue
            guard format == DecisionFormat.current else {
                throw DomainError("this ledger's decisions are in format \(format ?? 1) (record 1); this build appends and folds format \(DecisionFormat.current) only: export the ledger with the build that wrote it ('rocks dump') and replay the dump into a new ledger")
            }
            // The genesis record brings its own key; every later request needs a key in force.
            guard let signer = try views.row(.keys, envelope.key.hex, as: KeyEntry.self, in: txn) else {
                _ = try keyInForce(envelope.key, in: txn, environment: environment)
                throw DomainError("request signed by unknown key \(envelope.key.short)")
            }
            if case .denied(let reason) = try operation.authorize(signer, envelope, views: views, in: txn) {
                return ["denied": .string(reason)]
            }
        }
        return try operation.decide(envelope, context: context, views: views, in: txn)
    }

    /// A record's operation, with its preparation: one value, handed from a rebuild's
    /// reading thread to its fold.
    public struct Prepared: Sendable {
        fileprivate let fold: @Sendable (Record, ViewStore, borrowing Transaction) throws -> Void
    }

    public func prepare(_ record: Record) throws -> Prepared {
        // A denied request is history, not state, whatever its op.
        if record.denial != nil { return Prepared { _, _, _ in } }
        return try operation(record.op).prepareFold(record)
    }

    public func fold(_ prepared: Prepared, record: Record, in txn: borrowing Transaction, environment: LMDBEnvironment) throws {
        try prepared.fold(record, ViewStore(environment: environment, sequence: record.sequence), txn)
    }

    public func keysIntroduced(by record: Record) -> [PublicKey] {
        guard record.denial == nil, let operation = operations[record.op] else { return [] }
        return (try? operation.keysIntroduced(by: record)) ?? []
    }

    public func keysRevoked(by record: Record) -> [KeyID] {
        guard record.denial == nil, let operation = operations[record.op] else { return [] }
        return (try? operation.keysRevoked(by: record)) ?? []
    }

    // MARK: Queries for the commands

    public func frontendSettings(in txn: borrowing Transaction, environment: LMDBEnvironment) throws -> FrontendSettings? {
        try ViewStore.live(environment).row(.settings, FrontendSettings.key, as: FrontendSettings.self, in: txn)
    }
}

extension Operation {
    /// ``prepare(_:)``, with the fold that takes its result.
    fileprivate func prepareFold(_ record: Record) throws -> DomainProjection.Prepared {
        let prepared = try prepare(record)
        return DomainProjection.Prepared { record, views, txn in try fold(prepared, record: record, into: views, in: txn) }
    }
}

/// Public keys by key id, each parsed once. A key id is the digest of the key itself, so an id
/// always names the same key; whether it is still in force is the views' to say, every time.
private final class ParsedKeys: @unchecked Sendable {
    private let lock = NSLock()
    private var keys: [KeyID: PublicKey] = [:]

    func key(_ id: KeyID, parse: () throws -> PublicKey) throws -> PublicKey {
        if let known = lock.withLock({ keys[id] }) { return known }
        let parsed = try parse()
        guard parsed.id == id else { throw DomainError("the keys view holds key \(parsed.id.short) under the id \(id.short)") }
        lock.withLock { keys[id] = parsed }
        return parsed
    }
}
