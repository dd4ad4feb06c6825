import Ledger
import Signing

/// What an auditor reads beside each record of a stretch of the log: whose key signed it, and
/// what became of the effects it asked for. The views keep only pending effects, so outcomes
/// are read from the log: the `record outcome` records after each request.
public struct AuditTrail {
    /// Whose a key is, as the views say: the roles `init` made, or the host an `add host key`
    /// gave it to (a cluster, when that host is a virtual cluster's frontend).
    public enum Signer: Sendable, Equatable, CustomStringConvertible {
        case admin, frontend
        case host(String)
        case cluster(String)
        /// A key the views never held (none signs a record: its requests are refused).
        case unknown

        /// One word, so a log line splits on spaces: `admin`, `cluster:frontend-0-0-0`…
        public var description: String {
            switch self {
            case .admin: "admin"
            case .frontend: "frontend"
            case .host(let name): "host:" + name
            case .cluster(let frontend): "cluster:" + frontend
            case .unknown: "unknown"
            }
        }
    }

    private let ledger: Ledger
    private let signers: [KeyID: Signer]
    /// The effects the records of the stretch asked for, by record, with their outcomes.
    private let effectsByRecord: [UInt64: [Effect]]

    /// Reads every key the views hold, a revoked one as it was just before its revocation;
    /// then the records from `from` on, for the effects those up to `to` asked for and their
    /// outcomes, stopping once every one of those effects is final. Those records are read as
    /// a rebuild reads them (layout and digest checked, decisions read in place): only their
    /// ops and decisions matter here, and the records listed are read in full by the caller.
    public init(ledger: Ledger, from: UInt64, to: UInt64) throws {
        self.ledger = ledger
        signers = try ledger.read { txn in try Self.signers(environment: ledger.environment, in: txn) }
        var effects: [EffectID: Effect] = [:]
        var pending = 0
        try ledger.forEachRecord(from: from, checks: .layoutAndDigest) { record in
            if record.sequence <= to {
                for effect in try Effect.requested(by: record) {
                    effects[effect.id] = effect
                    pending += 1
                }
            } else if pending == 0 {
                return false
            }
            guard record.op == RecordOutcomeOperation.op, record.denial == nil else { return true }
            let outcome = try FieldReader.read(record, RecordOutcomeOperation.Outcome.init)
            guard var effect = effects[outcome.effect], effect.status == .pending else { return true }
            effect.record(outcome)
            if effect.status != .pending { pending -= 1 }
            effects[outcome.effect] = effect
            return true
        }
        effectsByRecord = Dictionary(grouping: effects.values.sorted { $0.id < $1.id }, by: \.id.sequence)
    }

    private static func signers(environment: LMDBEnvironment, in txn: borrowing Transaction) throws -> [KeyID: Signer] {
        let live = ViewStore.live(environment)
        func signer(of entry: KeyEntry, views: ViewStore) throws -> Signer {
            switch entry.role {
            case .admin: return .admin
            case .frontend: return .frontend
            case .host:
                guard let host = entry.host else { return .unknown }
                return try views.contains(.clusters, host, in: txn) ? .cluster(host) : .host(host)
            }
        }
        var signers: [KeyID: Signer] = [:]
        for entry in try live.rows(.keys, as: KeyEntry.self, in: txn) {
            signers[entry.id] = try signer(of: entry, views: live)
        }
        for (key, revoking) in try live.scan(.settings, prefix: RemoveHostKey.revokedKeyPrefix, in: txn) {
            guard let id = KeyID(hex: String(key.dropFirst(RemoveHostKey.revokedKeyPrefix.count))), signers[id] == nil,
                  let sequence = revoking.integerValue, sequence > 1 else { continue }
            let before = ViewStore(environment: environment, sequence: UInt64(sequence) - 1)
            if let entry = try before.row(.keys, id.hex, as: KeyEntry.self, in: txn) { signers[id] = try signer(of: entry, views: before) }
        }
        return signers
    }

    /// Whose key signed `record`.
    public func signer(of record: Record) -> Signer { signers[record.keyID] ?? .unknown }

    /// The effects `record` asked for, in order, each with its outcome as far as the log says.
    public func effects(of record: Record) -> [Effect] { effectsByRecord[record.sequence] ?? [] }

    /// Whether `record` names `host`: as a word of one of its request's arguments (a host
    /// list is space- or comma-separated), as a string in its decision, or as the VM or
    /// container of an effect it asked for or recorded the outcome of.
    public func record(_ record: Record, names host: String) throws -> Bool {
        let request = try record.request.envelope
        let words = request.args.values.lazy.flatMap { $0.split(whereSeparator: { $0 == " " || $0 == "," }) }
        if words.contains(where: { $0 == host }) { return true }
        if Self.strings(in: try record.parsedDecision()).contains(host) { return true }
        var effects = effects(of: record)
        if record.op == RecordOutcomeOperation.op, let id = request.args["effect"].flatMap(EffectID.init),
           let asking = try ledger.record(id.sequence), let effect = try Effect.requested(by: asking).first(where: { $0.id == id })
        {
            effects.append(effect)
        }
        return effects.contains { $0.vm == host || $0.container == host }
    }

    private static func strings(in value: JSONValue) -> Set<String> {
        if let text = value.stringValue { return [text] }
        if let array = value.arrayValue { return array.reduce(into: []) { $0.formUnion(strings(in: $1)) } }
        if let object = value.objectValue { return object.reduce(into: []) { $0.formUnion(strings(in: $1.value)) } }
        return []
    }
}
