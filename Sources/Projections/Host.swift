import Signing

/// A host the frontend manages: the physical frontend itself, later VM containers and VMs.
public struct Host: Sendable, Equatable {
    public let name: String
    /// Rocks' membership, e.g. `Frontend`, `VM Container`, `Hosted VM`.
    public let membership: String
    /// The appliance name, e.g. `frontend`, `vm-container`, `hosted-vm`.
    public let appliance: String
    public let rack: Int64
    public let rank: Int64
    public let cpus: Int64

    public init(name: String, membership: String, appliance: String, rack: Int64, rank: Int64, cpus: Int64) {
        self.name = name
        self.membership = membership
        self.appliance = appliance
        self.rack = rack
        self.rank = rank
        self.cpus = cpus
    }

    var json: JSONValue {
        .object([
            "name": .string(name), "membership": .string(membership), "appliance": .string(appliance),
            "rack": .integer(rack), "rank": .integer(rank), "cpus": .integer(cpus),
        ])
    }

    init(json: JSONValue) throws {
        guard let name = json["name"]?.stringValue, let membership = json["membership"]?.stringValue,
              let appliance = json["appliance"]?.stringValue, let rack = json["rack"]?.integerValue,
              let rank = json["rank"]?.integerValue, let cpus = json["cpus"]?.integerValue
        else { throw DomainError("the hosts view holds a malformed entry") }
        self.init(name: name, membership: membership, appliance: appliance, rack: rack, rank: rank, cpus: cpus)
    }
}
