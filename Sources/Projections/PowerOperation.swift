import Ledger
import Signing

/// What a VM should be doing, as the last `start host vm` or `stop host vm` said, and the
/// console its last start reported.
public struct VMPower: Sendable, Equatable {
    public enum State: String, Sendable {
        case on, off
    }

    public var desired: State
    /// The record that asked for it.
    public var sequence: UInt64
    /// `address:port` of the VNC console, once a start has succeeded.
    public var console: String?

    var json: JSONValue {
        var fields: [String: JSONValue] = ["desired": .string(desired.rawValue), "sequence": .integer(Int64(sequence))]
        if let console { fields["console"] = .string(console) }
        return .object(fields)
    }

    init(desired: State, sequence: UInt64, console: String? = nil) {
        self.desired = desired
        self.sequence = sequence
        self.console = console
    }

    init(json: JSONValue) throws {
        guard let desired = json["desired"]?.stringValue.flatMap(State.init), let sequence = json["sequence"]?.integerValue else {
            throw DomainError("a power entry is malformed")
        }
        self.init(desired: desired, sequence: UInt64(sequence), console: json["console"]?.stringValue)
    }
}

/// `rocks start host vm <vm...>` and `rocks stop host vm <vm...> [graceful=no|yes] [timeout=60]`:
/// the desired power state, and one effect per VM for the executor.
struct PowerOperation: Operation {
    let op: String
    let desired: VMPower.State
    let allowedRoles: Set<KeyEntry.Role> = [.admin]

    static let start = PowerOperation(op: "start host vm", desired: .on)
    static let stop = PowerOperation(op: "stop host vm", desired: .off)
    /// Seconds a graceful stop may wait: a guest that ignores ACPI for an hour will not stop.
    static let gracefulTimeouts: ClosedRange<Int64> = 1...3600

    func decide(_ request: RequestEnvelope, context: AppendContext, views: ViewStore, in txn: borrowing Transaction) throws -> JSONValue {
        let names = request.list("hosts")
        guard !names.isEmpty else { throw DomainError("must supply at least one VM") }
        var gracefulTimeout: Int64?
        if desired == .off, request.args["graceful"] == "yes" {
            let range = Self.gracefulTimeouts
            let message = "timeout must be whole seconds from \(range.lowerBound) to \(range.upperBound)"
            guard let timeout = try request.integer("timeout", default: 60, message: message), range.contains(timeout) else {
                throw DomainError(message)
            }
            gracefulTimeout = timeout
        }
        var effects: [Effect] = []
        for host in try HostResolver(views: views).resolve(names, in: txn) {
            guard host.isVM, let vm = try views.get(.vms, host.name, in: txn).map(VirtualMachine.init(json:)) else {
                throw DomainError("host \(host.name) is not a VM")
            }
            var effect = Effect(id: EffectID(sequence: context.sequence, index: effects.count), kind: desired == .on ? .startVM : .stopVM,
                                vm: vm.name, container: vm.container)
            effect.gracefulTimeout = gracefulTimeout
            effects.append(effect)
        }
        return .object(["effects": .array(effects.map(\.json))])
    }

    func apply(_ request: RequestEnvelope, decision: JSONValue, record: Record, views: ViewStore, in txn: borrowing Transaction) throws {
        for entry in try decision.decided("effects").arrayValue ?? [] {
            let effect = try Effect(json: entry)
            try views.put(.effects, effect.id.description, effect.json, in: txn)
            try views.put(.power, effect.vm, VMPower(desired: desired, sequence: record.sequence).json, in: txn)
        }
    }
}
