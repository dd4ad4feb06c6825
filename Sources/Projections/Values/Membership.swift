import Signing

/// Rocks memberships this project knows, and the appliance (base) name of each.
public enum Membership: String, CaseIterable, Sendable {
    case frontend = "Frontend"
    case vmContainer = "VM Container"
    case compute = "Compute"
    case hostedVM = "Hosted VM"

    /// The appliance name: the host-name prefix and a valid host-list argument.
    public var appliance: String {
        switch self {
        case .frontend: "frontend"
        case .vmContainer: "vm-container"
        case .compute: "compute"
        case .hostedVM: "hosted-vm"
        }
    }

    /// Accepts the membership (`VM Container`) or the appliance name (`vm-container`), in any case.
    public init?(named name: String) {
        let lowered = name.lowercased()
        guard let match = Membership.allCases.first(where: { $0.rawValue.lowercased() == lowered || $0.appliance == lowered }) else {
            return nil
        }
        self = match
    }

    /// The request's `membership`, or Rocks' error for a missing or unknown one.
    static func required(by request: RequestEnvelope) throws(DomainError) -> Membership {
        let name = try request.argument("membership", missing: "must supply a membership")
        guard let membership = Membership(named: name) else {
            throw DomainError("could not get membership id for membership \"\(name)\"; valid: \(validNames)")
        }
        return membership
    }

    static var validNames: String { allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ") }
}
