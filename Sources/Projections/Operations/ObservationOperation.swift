import Ledger
import Signing

/// `record observation` (frontend key): a VM seen doing something other than what the
/// ledger wants, as `rocks sync host vm` finds it.
struct RecordObservationOperation: Operation {
    let op = "record observation"

    func authorize(_ signer: KeyEntry, _ request: RequestEnvelope, views: ViewStore, in txn: borrowing Transaction) throws -> Authorization {
        .role(signer, in: [.frontend], for: request)
    }

    func decide(_ request: RequestEnvelope, context: AppendContext, views: ViewStore, in txn: borrowing Transaction) throws -> JSONValue {
        let name = try request.argument("vm", missing: "must supply a vm")
        guard try views.contains(.vms, name, in: txn) else { throw DomainError("host \(name) is not a VM") }
        let observed = try request.argument("observed", missing: "must supply observed")
        guard VMObservation.states.contains(observed) else {
            throw DomainError("observed must be one of \(VMObservation.states.joined(separator: ", "))")
        }
        let desired = try DomainReader(views: views).desiredPower(of: name, in: txn).rawValue
        return Decision(vm: name, observed: observed, desired: desired).json
    }

    /// The VM, and what it was seen doing against what was wanted.
    struct Decision: Sendable {
        let vm: String
        let observed: String
        let desired: String

        var json: JSONValue { ["vm": .string(vm), "observed": .string(observed), "desired": .string(desired)] }
    }

    func prepare(_ record: Record) throws -> Decision { try FieldReader.read(record, Decision.init) }

    func fold(_ decision: Decision, record: Record, into views: ViewStore, in txn: borrowing Transaction) throws {
        let observation = VMObservation(observed: decision.observed, desired: decision.desired, sequence: record.sequence)
        try views.put(.observations, decision.vm, observation, in: txn)
    }

    func keysIntroduced(by record: Record) throws -> [PublicKey] { [] }

    func keysRevoked(by record: Record) throws -> [KeyID] { [] }
}

/// `record observation gap`: the frontend lost (`state=began`) or regained (`state=ended`)
/// its event stream from a container. Events in between are gone, so an auditor knows
/// drift in that window was not seen as it happened. The log keeps it; no view changes.
struct RecordObservationGapOperation: Operation {
    let op = "record observation gap"

    func authorize(_ signer: KeyEntry, _ request: RequestEnvelope, views: ViewStore, in txn: borrowing Transaction) throws -> Authorization {
        .role(signer, in: [.frontend], for: request)
    }

    func decide(_ request: RequestEnvelope, context: AppendContext, views: ViewStore, in txn: borrowing Transaction) throws -> JSONValue {
        let container = try request.argument("container", missing: "must supply a container")
        guard let host = try views.row(.hosts, container, as: Host.self, in: txn), !host.isVM else {
            throw DomainError("\(container) is not a VM container")
        }
        let state = try request.argument("state", missing: "must supply state")
        guard ["began", "ended"].contains(state) else { throw DomainError("state must be began or ended") }
        return Decision(container: container, state: state).json
    }

    /// The container, and whether its gap began or ended.
    struct Decision: Sendable {
        let container: String
        let state: String

        var json: JSONValue { ["container": .string(container), "state": .string(state)] }
    }

    func prepare(_ record: Record) throws -> Decision { try FieldReader.read(record, Decision.init) }

    /// The log keeps the gap; no view changes.
    func fold(_ decision: Decision, record: Record, into views: ViewStore, in txn: borrowing Transaction) throws {}

    func keysIntroduced(by record: Record) throws -> [PublicKey] { [] }

    func keysRevoked(by record: Record) throws -> [KeyID] { [] }
}

extension RecordObservationOperation.Decision {
    init(_ decision: FieldReader) throws {
        self.init(vm: try decision.string("vm"), observed: try decision.string("observed"), desired: try decision.string("desired"))
    }
}

extension RecordObservationGapOperation.Decision {
    init(_ decision: FieldReader) throws {
        self.init(container: try decision.string("container"), state: try decision.string("state"))
    }
}
