import Signing

/// What `rocks init` was told about the physical frontend, kept in the `settings` view.
public struct FrontendSettings: Sendable, Equatable {
    static let key = "frontend"

    /// The frontend's fully qualified name, e.g. `espresso.rocksclusters.org`.
    public let fqdn: String
    public let publicIP: IPv4Address
    public let publicNetmask: IPv4Address
    public let privateIP: IPv4Address
    public let privateNetmask: IPv4Address
    /// The MTU of each network, written into the containers' interface files.
    public let publicMTU: Int
    public let privateMTU: Int

    /// The host name Rocks uses for the frontend: the first label of the FQDN.
    public var hostName: String { String(fqdn.split(separator: ".").first ?? Substring(fqdn)) }

    /// Reads and validates the arguments of an `init` request.
    public init(initArguments args: [String: String]) throws(DomainError) {
        guard let fqdn = args["name"], Self.isValidHostName(fqdn) else {
            throw DomainError("name must be the frontend's host name, e.g. espresso.rocksclusters.org")
        }
        func address(_ name: String, default value: String?) throws(DomainError) -> IPv4Address {
            guard let text = args[name] ?? value else { throw DomainError("must supply \(name)") }
            guard let address = IPv4Address(text) else { throw DomainError("\(name) '\(text)' is not an IPv4 address") }
            return address
        }
        func netmask(_ name: String, default value: String) throws(DomainError) -> IPv4Address {
            let mask = try address(name, default: value)
            guard mask.isNetmask else { throw DomainError("\(name) '\(mask)' is not a contiguous netmask") }
            return mask
        }
        self.fqdn = fqdn
        publicIP = try address("public-ip", default: nil)
        publicNetmask = try netmask("public-netmask", default: "255.255.255.0")
        privateIP = try address("private-ip", default: "10.1.1.1")
        privateNetmask = try netmask("private-netmask", default: "255.255.0.0")
        func mtu(_ name: String) throws(DomainError) -> Int {
            // Rocks' own subnets default to 1500; genesis records from before MTUs existed lack them.
            let text = args[name] ?? String(Self.defaultMTU)
            guard let value = Int(text), Self.mtuRange.contains(value) else {
                throw DomainError("\(name) '\(text)' must be a whole number from \(Self.mtuRange.lowerBound) to \(Self.mtuRange.upperBound)")
            }
            return value
        }
        publicMTU = try mtu("public-mtu")
        privateMTU = try mtu("private-mtu")
    }

    public static let defaultMTU = 1500
    /// IPv4's minimum (RFC 791) to the largest jumbo frame common NICs take.
    static let mtuRange = 576...9216

    public var privateSubnet: Subnet { Subnet(name: "private", address: privateIP, netmask: privateNetmask) }
    public var publicSubnet: Subnet { Subnet(name: "public", address: publicIP, netmask: publicNetmask) }

    public func mtu(ofSubnet name: String) -> Int? {
        switch name {
        case "private": privateMTU
        case "public": publicMTU
        default: nil
        }
    }

    public func subnet(named name: String) -> Subnet? {
        switch name {
        case "private": privateSubnet
        case "public": publicSubnet
        default: nil
        }
    }

    /// Refuses networks no cluster can be built on. `init` asks this of new settings only, so
    /// a ledger begun before a rule existed still folds.
    func checkNetworks() throws(DomainError) {
        if let reason = Self.unusablePublicAddress(publicIP) {
            throw DomainError("public-ip \(publicIP) is \(reason); give the frontend's address on its public network")
        }
        for (name, subnet) in [("public-netmask", publicSubnet), ("private-netmask", privateSubnet)] where subnet.netmask.prefixLength > 30 {
            throw DomainError("\(name) \(subnet.netmask) leaves no address for hosts: it must be /30 (255.255.255.252) or wider")
        }
        try publicSubnet.checkHostAddress(publicIP)
        try privateSubnet.checkHostAddress(privateIP)
        if privateSubnet.contains(publicSubnet.network) || publicSubnet.contains(privateSubnet.network) {
            throw DomainError("the public network \(publicSubnet.cidr) and the private network \(privateSubnet.cidr) overlap; they must be separate")
        }
    }

    /// Why `address` cannot be a frontend's public address, or nil: VM MACs are derived from
    /// it (reference §5.3), and these ranges are no host's own address.
    static func unusablePublicAddress(_ address: IPv4Address) -> String? {
        switch address.value >> 24 {
        case 0: "in 0.0.0.0/8 (this network, RFC 1122)"
        case 127: "a loopback address"
        case 224...239: "a multicast address"
        case 240...255: "a reserved or broadcast address"
        case 169 where address.value >> 16 & 0xff == 254: "a link-local address"
        default: nil
        }
    }

    /// Refuses `address` for an interface on `subnet` (or, with none named, on whichever of
    /// the two networks holds it): outside it, or its network or broadcast address.
    func checkInterfaceAddress(_ address: IPv4Address, subnet name: String?) throws(DomainError) {
        if let name, let subnet = subnet(named: name) { return try subnet.checkHostAddress(address) }
        guard let subnet = [privateSubnet, publicSubnet].first(where: { $0.contains(address) }) else {
            throw DomainError("IP address \(address) is in neither the private network \(privateSubnet.cidr) nor the public network \(publicSubnet.cidr)")
        }
        try subnet.checkHostAddress(address)
    }

    /// The MACs this frontend hands to VMs (reference §5.3).
    public var vmMACRange: ClosedRange<UInt64> { MACAddress.vmRange(frontendPublicIP: publicIP) }

    /// The settings as `init` decided them, and as the `settings` view's `frontend` row:
    /// the arguments of `init`, every default resolved.
    var json: JSONValue {
        .object([
            "fqdn": .string(fqdn), "public-ip": .string(publicIP.description), "public-netmask": .string(publicNetmask.description),
            "private-ip": .string(privateIP.description), "private-netmask": .string(privateNetmask.description),
            "public-mtu": .string(String(publicMTU)), "private-mtu": .string(String(privateMTU)),
        ])
    }

    /// The `settings` view's `frontend` row.
    var row: [UInt8] { CanonicalJSON.encode(json) }

    init(row: FieldReader) throws {
        var args: [String: String] = [:]
        for (key, value) in try row.stringMembers() { args[key == "fqdn" ? "name" : key] = value }
        try self.init(initArguments: args)
    }

    /// RFC 1123 host names: dot-separated labels of letters, digits and inner hyphens.
    package static func isValidHostName(_ name: String) -> Bool {
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        return name.utf8.count <= 253 && labels.allSatisfy { label in
            let bytes = Array(label.utf8)
            guard let first = bytes.first, let last = bytes.last, bytes.count <= 63 else { return false }
            return first != UInt8(ascii: "-") && last != UInt8(ascii: "-")
                && bytes.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7a) || $0 == UInt8(ascii: "-") }
        }
    }
}
