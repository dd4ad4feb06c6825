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

    /// `10.1.0.0/16`.
    public var cidr: String { "\(network)/\(netmask.prefixLength)" }

    /// Refuses `address` as a host's address on this network: outside it, or its network or
    /// broadcast address, which no host may hold.
    func checkHostAddress(_ address: IPv4Address) throws(DomainError) {
        guard contains(address) else { throw DomainError("IP address \(address) is not in the \(name) network \(cidr)") }
        if address == network { throw DomainError("IP address \(address) is the \(name) network's own address (\(cidr))") }
        if address == broadcast { throw DomainError("IP address \(address) is the \(name) network's broadcast address (\(cidr))") }
    }
}
