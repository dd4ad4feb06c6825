import Signing

/// One row of Rocks' `networks` table: a host's NIC, or a VLAN a container carries.
public struct Interface: Sendable, Equatable {
    public var host: String
    public var device: String
    public var mac: MACAddress?
    public var ip: IPv4Address?
    /// `private`, `public`, or nil.
    public var subnet: String?
    public var module: String?
    public var name: String?
    public var vlan: Int64?
    public var options: String?
    public var channel: String?

    public init(host: String, device: String, mac: MACAddress? = nil, ip: IPv4Address? = nil, subnet: String? = nil,
                module: String? = nil, name: String? = nil, vlan: Int64? = nil, options: String? = nil, channel: String? = nil)
    {
        self.host = host
        self.device = device
        self.mac = mac
        self.ip = ip
        self.subnet = subnet
        self.module = module
        self.name = name
        self.vlan = vlan
        self.options = options
        self.channel = channel
    }

    /// The `interfaces` view key: host, then device, so a host's rows sort by device.
    var key: String { Self.key(host, device) }
    static func key(_ host: String, _ device: String) -> String { host + "/" + device }

    /// The `interfaces` row.
    var row: [UInt8] {
        var row = CanonicalObjectWriter()
        row.member("channel", channel)
        row.member("device", device)
        row.member("host", host)
        row.member("ip", ip?.description)
        row.member("mac", mac?.description)
        row.member("module", module)
        row.member("name", name)
        row.member("options", options)
        row.member("subnet", subnet)
        row.member("vlan", vlan)
        return row.finish()
    }

    init(json: JSONValue) throws {
        guard let host = json["host"]?.stringValue, let device = json["device"]?.stringValue else {
            throw DomainError("the interfaces view holds a malformed entry")
        }
        self.init(host: host, device: device, mac: json["mac"]?.stringValue.flatMap(MACAddress.init),
                  ip: json["ip"]?.stringValue.flatMap(IPv4Address.init), subnet: json["subnet"]?.stringValue,
                  module: json["module"]?.stringValue, name: json["name"]?.stringValue, vlan: json["vlan"]?.integerValue,
                  options: json["options"]?.stringValue, channel: json["channel"]?.stringValue)
    }
}
