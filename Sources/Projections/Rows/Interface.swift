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

    init(row: FieldReader) throws {
        // Read in the row's order, so each field is found a step past the one before.
        let channel = try row.optionalString("channel"), device = try row.string("device"), host = try row.string("host")
        let ip = try row.optionalIP("ip"), mac = try row.optionalMAC("mac"), module = try row.optionalString("module")
        let name = try row.optionalString("name"), options = try row.optionalString("options")
        let subnet = try row.optionalString("subnet"), vlan = try row.optionalInteger("vlan")
        self.init(host: host, device: device, mac: mac, ip: ip, subnet: subnet, module: module, name: name, vlan: vlan, options: options, channel: channel)
    }
}
