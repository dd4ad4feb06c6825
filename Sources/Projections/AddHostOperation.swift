import Ledger
import Signing

/// `rocks add host [<name>] membership= [mac=] [ip=] [rack=0] [rank=<next>] [cpus=1]`: a
/// physical host, as `insert-ethers` would add it: named `<appliance>-<rack>-<rank>`, with
/// `eth0` on the private network at the next private address.
struct AddHostOperation: Operation {
    let op = "add host"
    let allowedRoles: Set<KeyEntry.Role> = [.admin]

    func decide(_ request: RequestEnvelope, context: AppendContext, views: ViewStore, in txn: borrowing Transaction) throws -> JSONValue {
        let membership = try Membership.required(by: request)
        switch membership {
        case .frontend: throw DomainError("the physical frontend is created by 'rocks init'")
        case .hostedVM: throw DomainError("a \"Hosted VM\" is made by 'rocks add cluster' or 'rocks add host vm'")
        case .vmContainer, .compute: break
        }
        let rack = try request.integer("rack", default: 0, message: "rack must be an integer")!
        let cpus = try request.positive("cpus", default: 1, message: "cpus must be a positive integer")
        let rank = try request.integer("rank", message: "rank must be an integer") ?? nextRank(membership, rack: rack, views: views, in: txn)
        guard rack >= 0, rank >= 0 else { throw DomainError("rack and rank must not be negative") }
        var allocator = Allocator(views: views, settings: try views.settings(in: txn), context: context)
        let name = request.args["name"].flatMap { $0.isEmpty ? nil : $0 } ?? "\(membership.appliance)-\(rack)-\(rank)"
        try allocator.claim(name: name, in: txn)
        let mac = try request.mac()
        if let mac { try allocator.claim(mac, in: txn) }
        let ip: IPv4Address
        if let given = try request.ip() {
            try allocator.claim(given, in: txn)
            ip = given
        } else {
            ip = try allocator.privateIP(in: txn)
        }
        let host = Host(name: name, membership: membership.rawValue, appliance: membership.appliance, rack: rack, rank: rank,
                        cpus: cpus, order: Host.order(context.sequence, 0))
        let eth0 = Interface(host: name, device: "eth0", mac: mac, ip: ip, subnet: "private", name: name)
        return .withAllocationMarks(["host": host.json, "interfaces": [eth0.json]], allocator)
    }

    /// The `settings` key holding the highest rank given to an appliance in a rack.
    static func rankKey(_ appliance: String, rack: Int64) -> String { "highest-rank/\(appliance)/\(rack)" }

    /// One more than the highest rank of this appliance in the rack ever given, or 0.
    private func nextRank(_ membership: Membership, rack: Int64, views: ViewStore, in txn: borrowing Transaction) throws -> Int64 {
        (try views.get(.settings, Self.rankKey(membership.appliance, rack: rack), in: txn)?.integerValue ?? -1) + 1
    }

    func apply(_ request: RequestEnvelope, decision: JSONValue, record: Record, views: ViewStore, in txn: borrowing Transaction) throws {
        let host = try Host(json: try decision.decided("host"))
        try views.put(.hosts, host.name, host.json, in: txn)
        let rankKey = Self.rankKey(host.appliance, rack: host.rack)
        if host.rank > (try views.get(.settings, rankKey, in: txn)?.integerValue ?? -1) {
            try views.put(.settings, rankKey, .integer(host.rank), in: txn)
        }
        let store = InterfaceStore(views: views)
        for interface in try decision.decided("interfaces").arrayValue ?? [] { try store.put(try Interface(json: interface), in: txn) }
        try views.applyAllocationMarks(decision, in: txn)
    }
}

/// `rocks add host interface <host> <iface> [mac=] [ip=] [subnet=] [vlan=] [module=] [name=]`.
struct AddHostInterfaceOperation: Operation {
    let op = "add host interface"
    let allowedRoles: Set<KeyEntry.Role> = [.admin]

    func decide(_ request: RequestEnvelope, context: AppendContext, views: ViewStore, in txn: borrowing Transaction) throws -> JSONValue {
        let host = try HostResolver(views: views).resolveOne(try request.argument("host", missing: "must supply a host"), in: txn)
        let device = try request.argument("iface", missing: "must supply an interface")
        guard Self.isValidDevice(device) else { throw DomainError("interface name \"\(device)\" is not valid (e.g. eth1, ib0, vlan2)") }
        if try views.contains(.interfaces, Interface.key(host.name, device), in: txn) {
            throw DomainError("interface \"\(device)\" already exists on host \(host.name)")
        }
        let settings = try views.settings(in: txn)
        var allocator = Allocator(views: views, settings: settings, context: context)
        let subnet = request.args["subnet"].flatMap { $0.isEmpty ? nil : $0 }
        if let subnet, settings.subnet(named: subnet) == nil {
            throw DomainError("could not get subnet id for subnet \"\(subnet)\"; valid: private, public")
        }
        let mac = try request.mac()
        if let mac { try allocator.claim(mac, in: txn) }
        let ip = try request.ip()
        if let ip {
            if let subnet, let network = settings.subnet(named: subnet), !network.contains(ip) {
                throw DomainError("IP address \(ip) is not in the \(subnet) network \(network.network)/\(network.netmask)")
            }
            try allocator.claim(ip, in: txn)
        }
        let vlan = try request.integer("vlan", message: "Vlan ID (\(request.args["vlan"] ?? "")) must be an integer")
        if let vlan, !(0...4095).contains(vlan) { throw DomainError("Vlan ID (\(vlan)) must be between 0 and 4095") }
        let interface = Interface(host: host.name, device: device, mac: mac, ip: ip, subnet: subnet, module: request.args["module"],
                                  name: request.args["name"], vlan: vlan)
        return .withAllocationMarks(["interface": interface.json], allocator)
    }

    static func isValidDevice(_ device: String) -> Bool {
        guard let first = device.utf8.first, (0x61...0x7a).contains(first), device.utf8.count <= 15 else { return false }
        return device.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7a) || ($0 >= 0x30 && $0 <= 0x39) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") }
    }

    func apply(_ request: RequestEnvelope, decision: JSONValue, record: Record, views: ViewStore, in txn: borrowing Transaction) throws {
        try InterfaceStore(views: views).put(try Interface(json: try decision.decided("interface")), in: txn)
        try views.applyAllocationMarks(decision, in: txn)
    }
}
