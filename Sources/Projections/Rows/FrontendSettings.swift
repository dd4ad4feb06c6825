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

    init(json: JSONValue) throws {
        var args: [String: String] = [:]
        for (key, value) in json.objectValue ?? [:] { args[key == "fqdn" ? "name" : key] = value.stringValue }
        try self.init(initArguments: args)
    }

    /// RFC 1123 host names: dot-separated labels of letters, digits and inner hyphens.
    static func isValidHostName(_ name: String) -> Bool {
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        return name.utf8.count <= 253 && labels.allSatisfy { label in
            let bytes = Array(label.utf8)
            guard let first = bytes.first, let last = bytes.last, bytes.count <= 63 else { return false }
            return first != UInt8(ascii: "-") && last != UInt8(ascii: "-")
                && bytes.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7a) || $0 == UInt8(ascii: "-") }
        }
    }
}
