/// A logical network Rocks knows by name: `private` (the cluster's own) or `public`.
public struct Subnet: Sendable, Equatable {
    public let name: String
    public let network: IPv4Address
    public let netmask: IPv4Address

    public init(name: String, address: IPv4Address, netmask: IPv4Address) {
        self.name = name
        self.network = IPv4Address(value: address.value & netmask.value)
        self.netmask = netmask
    }

    public var broadcast: IPv4Address { IPv4Address(value: network.value | ~netmask.value) }

    public func contains(_ address: IPv4Address) -> Bool { address.value & netmask.value == network.value }
}
