import Ledger
import Signing

/// `rocks start host vm <vm...>` and `rocks stop host vm <vm...> [graceful=no|yes] [timeout=60]`:
/// the desired power state, and one effect per VM for the executor.
struct PowerOperation: Operation {
    let op: String
    let desired: VMPower.State

    static let start = PowerOperation(op: "start host vm", desired: .on)
    static let stop = PowerOperation(op: "stop host vm", desired: .off)
    /// Seconds a graceful stop may wait: a guest that ignores ACPI for an hour will not stop.
    static let gracefulTimeouts: ClosedRange<Int64> = 1...3600

    func authorize(_ signer: KeyEntry, _ request: RequestEnvelope, views: ViewStore, in txn: borrowing Transaction) throws -> Authorization {
        .role(signer, in: [.admin], for: request)
    }

    func decide(_ request: RequestEnvelope, context: AppendContext, views: ViewStore, in txn: borrowing Transaction) throws -> JSONValue {
        let names = request.list("hosts")
        guard !names.isEmpty else { throw DomainError("must supply at least one VM") }
        let gracefulTimeout = try gracefulTimeout(of: request)
        // A repair says which state of the log it observed against: a change of mind since
        // then wins over the repair.
        let observedAt = try request.number(WholeNumber("desired-as-of", 1...WholeNumber.largest))
        var effects: [Effect] = []
        for host in try HostResolver(views: views).resolve(names, in: txn) {
            guard host.isVM, let vm = try views.row(.vms, host.name, as: VirtualMachine.self, in: txn) else {
                throw DomainError("host \(host.name) is not a VM")
            }
            if let observedAt, let power = try views.row(.power, vm.name, as: VMPower.self, in: txn),
               power.sequence > UInt64(max(0, observedAt))
            {
                throw DomainError("what \(vm.name) should be doing changed in record \(power.sequence), after the observation; run sync host vm again")
            }
            var effect = Effect(id: EffectID(sequence: context.sequence, index: effects.count), kind: desired == .on ? .startVM : .stopVM,
                                vm: vm.name, container: vm.container)
            effect.gracefulTimeout = gracefulTimeout
            effects.append(effect)
        }
        return ["effects": .array(effects.map(\.requested))]
    }

    /// `graceful=yes [timeout=60]` on a stop: seconds to wait for the guest before stopping it
    /// hard; nil for a hard stop.
    private func gracefulTimeout(of request: RequestEnvelope) throws(DomainError) -> Int64? {
        let graceful = request.args["graceful"]
        let timeout = request.args["timeout"]
        if desired == .on {
            guard graceful == nil, timeout == nil else { throw DomainError("graceful and timeout are for stop host vm") }
            return nil
        }
        switch graceful {
        case nil, "no":
            guard timeout == nil else { throw DomainError("timeout applies only with graceful=yes") }
            return nil
        case "yes":
            return try request.number(WholeNumber("timeout", Self.gracefulTimeouts, unit: "seconds"), default: 60)
        default:
            throw DomainError("graceful must be yes or no")
        }
    }

    /// Each effect's row, pending, and the power row each VM named gets.
    struct Prepared: Sendable {
        let effects: [(id: String, vm: String, row: [UInt8])]
        let power: [UInt8]
    }

    func prepare(_ record: Record) throws -> Prepared {
        let effects = try FieldReader.read(record) { try Effect.requested(in: $0, sequence: record.sequence) }
        return Prepared(effects: effects.map { ($0.id.description, $0.vm, $0.row) },
                        power: VMPower(desired: desired, sequence: record.sequence).row)
    }

    func fold(_ prepared: Prepared, record: Record, into views: ViewStore, in txn: borrowing Transaction) throws {
        for effect in prepared.effects {
            try views.put(.effects, effect.id, encoded: effect.row, in: txn)
            try views.put(.power, effect.vm, encoded: prepared.power, in: txn)
        }
    }

    func keysIntroduced(by record: Record) throws -> [PublicKey] { [] }

    func keysRevoked(by record: Record) throws -> [KeyID] { [] }
}
