import Ledger
import Signing

/// What a VM was seen doing when it differed from what the ledger wants: `record
/// observation`, signed by the frontend key, appended by `rocks sync host vm`. The log keeps
/// every observation; the `observations` view keeps the latest per VM.
public struct VMObservation: Sendable, Equatable {
    public static let states = ["on", "off", "paused", "unknown"]

    public let observed: String
    public let desired: String
    public var sequence: UInt64

    var json: JSONValue {
        .object(["observed": .string(observed), "desired": .string(desired), "sequence": .integer(Int64(sequence))])
    }

    init(observed: String, desired: String, sequence: UInt64) {
        self.observed = observed
        self.desired = desired
        self.sequence = sequence
    }

    init(json: JSONValue) throws {
        guard let observed = json["observed"]?.stringValue, let desired = json["desired"]?.stringValue,
              let sequence = json["sequence"]?.integerValue else { throw DomainError("an observation entry is malformed") }
        self.init(observed: observed, desired: desired, sequence: UInt64(sequence))
    }
}

struct RecordObservationOperation: Operation {
    let op = "record observation"
    let allowedRoles: Set<KeyEntry.Role> = [.frontend]

    func decide(_ request: RequestEnvelope, context: AppendContext, views: ViewStore, in txn: borrowing Transaction) throws -> JSONValue {
        let name = try request.argument("vm", missing: "must supply a vm")
        guard try views.contains(.vms, name, in: txn) else { throw DomainError("host \(name) is not a VM") }
        let observed = try request.argument("observed", missing: "must supply observed")
        guard VMObservation.states.contains(observed) else {
            throw DomainError("observed must be one of \(VMObservation.states.joined(separator: ", "))")
        }
        let desired = try DomainReader(views: views).desiredPower(of: name, in: txn).rawValue
        return .object(["vm": .string(name), "observed": .string(observed), "desired": .string(desired)])
    }

    func apply(_ request: RequestEnvelope, decision: JSONValue, record: Record, views: ViewStore, in txn: borrowing Transaction) throws {
        let name = try decision.decided("vm").stringValue ?? ""
        let observation = VMObservation(observed: try decision.decided("observed").stringValue ?? "",
                                        desired: try decision.decided("desired").stringValue ?? "", sequence: record.sequence)
        try views.put(.observations, name, observation.json, in: txn)
    }
}

/// `record observation gap`: the frontend lost (`state=began`) or regained (`state=ended`)
/// its event stream from a container. Events in between are gone, so an auditor knows
/// drift in that window was not seen as it happened. The log keeps it; no view changes.
struct RecordObservationGapOperation: Operation {
    let op = "record observation gap"
    let allowedRoles: Set<KeyEntry.Role> = [.frontend]

    func decide(_ request: RequestEnvelope, context: AppendContext, views: ViewStore, in txn: borrowing Transaction) throws -> JSONValue {
        let container = try request.argument("container", missing: "must supply a container")
        guard let host = try views.get(.hosts, container, in: txn).map(Host.init(json:)), !host.isVM else {
            throw DomainError("\(container) is not a VM container")
        }
        let state = try request.argument("state", missing: "must supply state")
        guard ["began", "ended"].contains(state) else { throw DomainError("state must be began or ended") }
        return .object(["container": .string(container), "state": .string(state)])
    }

    func apply(_ request: RequestEnvelope, decision: JSONValue, record: Record, views: ViewStore, in txn: borrowing Transaction) throws {}
}
