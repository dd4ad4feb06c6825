import Ledger
import Signing

/// The owners' power switch, through the Airboss: `set host power <host…> action=on|off|install`
/// and `set cluster power <frontend> action=… [delay=]`, which fans out to every compute of
/// the cluster (never its frontend), each start `delay` seconds after the one before.
///
/// `on` asks for a start, `off` for a hard stop (as Rocks' `off` was), `install` sets each
/// VM's boot action to `install` (network first) and asks for a start.
struct SetHostPowerOperation: Operation {
    static let hostOp = "set host power"
    static let clusterOp = "set cluster power"
    static let actions = ["on", "off", "install"]
    /// The longest gap between two starts: a cluster of 256 computes starts within a day.
    static let delays: ClosedRange<Int64> = 0...300_000

    let op: String
    private var fansOut: Bool { op == Self.clusterOp }

    static let host = SetHostPowerOperation(op: hostOp)
    static let cluster = SetHostPowerOperation(op: clusterOp)

    private func targets(_ request: RequestEnvelope) throws(DomainError) -> [(text: String, target: OwnerScope.Target)] {
        let targets = try OwnerScope.targets(request, fansOut ? "host" : "hosts")
        guard !fansOut || targets.count == 1 else { throw DomainError("must supply only one host: the cluster's frontend") }
        return targets
    }

    func authorize(_ signer: KeyEntry, _ request: RequestEnvelope, views: ViewStore, in txn: borrowing Transaction) throws -> Authorization {
        // The form first, so a malformed request is refused whoever signed it.
        let targets = try targets(request)
        _ = try action(request)
        _ = try delay(request)
        // The Airboss answers at once with `async=yes`, else when the outcomes are in.
        guard ["yes", "no", nil].contains(request.args["async"]) else { throw DomainError("async must be yes or no") }
        switch try OwnerScope.resolve(targets, for: signer, views: views, in: txn) {
        case .success: return .allowed
        case .failure(let refusal): return .denied(refusal.reason)
        }
    }

    func decide(_ request: RequestEnvelope, context: AppendContext, views: ViewStore, in txn: borrowing Transaction) throws -> JSONValue {
        let action = try action(request)
        let delay = try delay(request)
        var vms: [VirtualMachine] = []
        for (text, target) in try targets(request) {
            guard let vm = try OwnerScope.vm(target, views: views, in: txn) else { throw DomainError("no VM named \(MessageText.quote(text))") }
            vms.append(vm)
        }
        if fansOut {
            guard let cluster = try views.row(.clusters, vms[0].name, as: VirtualCluster.self, in: txn) else {
                throw DomainError("host \(vms[0].name) is not a virtual cluster's frontend")
            }
            guard !cluster.computes.isEmpty else { throw DomainError("the cluster of \(cluster.frontend) has no computes: nothing to power") }
            vms = try cluster.computes.map { name in
                guard let vm = try views.row(.vms, name, as: VirtualMachine.self, in: txn) else { throw DomainError("compute \(name) is not in the views") }
                return vm
            }
        }
        let effects = vms.enumerated().map { index, vm in
            var effect = Effect(id: EffectID(sequence: context.sequence, index: index), kind: action == "off" ? .stopVM : .startVM,
                                vm: vm.name, container: vm.container)
            if index > 0, delay > 0 { effect.startAfter = delay * Int64(index) }
            return effect
        }
        return Decision(action: action, effects: effects).json
    }

    private func action(_ request: RequestEnvelope) throws(DomainError) -> String {
        let action = try request.argument("action", missing: "must supply an action: on, off or install")
        guard Self.actions.contains(action) else { throw DomainError("action must be \"on\", \"off\" or \"install\", not \(MessageText.quote(action))") }
        return action
    }

    /// `delay=` in seconds, with up to three decimals, as milliseconds; only for a cluster.
    private func delay(_ request: RequestEnvelope) throws(DomainError) -> Int64 {
        guard let text = request.args["delay"] else { return 0 }
        guard fansOut else { throw DomainError("delay applies to set cluster power only") }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              parts[0].count <= 3, parts.count == 1 || parts[1].count <= 3,
              let seconds = Int64(parts[0]), let fraction = Int64(parts.count == 2 ? parts[1] + String(repeating: "0", count: 3 - parts[1].count) : "0")
        else { throw DomainError("delay must be a number of seconds like 1 or 0.5, not \(MessageText.quote(text))") }
        let milliseconds = seconds * 1000 + fraction
        guard Self.delays.contains(milliseconds) else { throw DomainError("delay must be at most \(Self.delays.upperBound / 1000) seconds") }
        return milliseconds
    }

    /// What was asked of which VMs, in order.
    struct Decision: Sendable {
        let action: String
        let effects: [Effect]

        var json: JSONValue { ["action": .string(action), "effects": .array(effects.map(\.requested))] }

        init(action: String, effects: [Effect]) {
            self.action = action
            self.effects = effects
        }

        init(_ decision: FieldReader, sequence: UInt64) throws {
            self.init(action: try decision.string("action"), effects: try Effect.requested(in: decision, sequence: sequence))
        }
    }

    struct Prepared: Sendable {
        let decision: Decision
        let effects: [(id: String, vm: String, row: [UInt8])]
        let power: [UInt8]
    }

    func prepare(_ record: Record) throws -> Prepared {
        let decision = try FieldReader.read(record) { try Decision($0, sequence: record.sequence) }
        return Prepared(decision: decision, effects: decision.effects.map { ($0.id.description, $0.vm, $0.row) },
                        power: VMPower(desired: decision.action == "off" ? .off : .on, sequence: record.sequence).row)
    }

    func fold(_ prepared: Prepared, record: Record, into views: ViewStore, in txn: borrowing Transaction) throws {
        for effect in prepared.effects {
            if prepared.decision.action == "install" {
                try updateHost(effect.vm, views: views, in: txn) { $0.bootAction = "install" }
            }
            try views.put(.effects, effect.id, encoded: effect.row, in: txn)
            try views.put(.power, effect.vm, encoded: prepared.power, in: txn)
        }
    }

    func keysIntroduced(by record: Record) throws -> [PublicKey] { [] }

    func keysRevoked(by record: Record) throws -> [KeyID] { [] }
}
