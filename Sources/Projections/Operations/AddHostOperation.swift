import Ledger
import Signing

/// `rocks add host [<name>] membership= [mac=] [ip=] [rack=0] [rank=<next>] [cpus=1]`: a
/// physical host, as `insert-ethers` would add it: named `<appliance>-<rack>-<rank>`, with
/// `eth0` on the private network at the next private address.
struct AddHostOperation: Operation {
    let op = "add host"

    func authorize(_ signer: KeyEntry, _ request: RequestEnvelope, views: ViewStore, in txn: borrowing Transaction) throws -> Authorization {
        .role(signer, in: [.admin], for: request)
    }

    func decide(_ request: RequestEnvelope, context: AppendContext, views: ViewStore, in txn: borrowing Transaction) throws -> JSONValue {
        let membership = try Membership.required(by: request)
        switch membership {
        case .frontend: throw DomainError("the physical frontend is created by 'rocks init'")
        case .hostedVM: throw DomainError("a \"Hosted VM\" is made by 'rocks add cluster' or 'rocks add host vm'")
        case .vmContainer, .compute: break
        }
        let rack = try request.number(.rack(), default: 0)!
        let cpus = try request.number(.cpus(), default: 1)!
        let rank = try request.number(.rank()) ?? nextRank(membership, rack: rack, views: views, in: txn)
        var allocator = Allocator(views: views, settings: try views.settings(in: txn), context: context)
        let name = request.args["name"].flatMap { $0.isEmpty ? nil : $0 } ?? "\(membership.appliance)-\(rack)-\(rank)"
        try allocator.claim(name: name, in: txn)
        let mac = try request.mac()
        if let mac { try allocator.claim(mac, in: txn) }
        let ip: IPv4Address
        if let given = try request.ip() {
            try allocator.settings.privateSubnet.checkHostAddress(given)
            try allocator.claim(given, in: txn)
            ip = given
        } else {
            ip = try allocator.privateIP(in: txn)
        }
        return AddHostDecision(name: name, membership: membership, rack: rack, rank: rank, cpus: cpus, mac: mac, ip: ip,
                               marks: AllocationMarks(allocator)).json
    }

    /// The `settings` key holding the highest rank given to an appliance in a rack.
    static func rankKey(_ appliance: String, rack: Int64) -> String { "highest-rank/\(appliance)/\(rack)" }

    /// One more than the highest rank of this appliance in the rack ever given, or 0.
    private func nextRank(_ membership: Membership, rack: Int64, views: ViewStore, in txn: borrowing Transaction) throws -> Int64 {
        (try views.get(.settings, Self.rankKey(membership.appliance, rack: rack), in: txn)?.integerValue ?? -1) + 1
    }

    func prepare(_ record: Record) throws -> AddHostDecision { try FieldReader.read(record, AddHostDecision.init) }

    func fold(_ decision: AddHostDecision, record: Record, into views: ViewStore, in txn: borrowing Transaction) throws {
        let host = Host(name: decision.name, membership: decision.membership.rawValue, appliance: decision.membership.appliance,
                        rack: decision.rack, rank: decision.rank, cpus: decision.cpus, order: Host.order(record.sequence, 0))
        try views.put(.hosts, host.name, host, in: txn)
        let rankKey = Self.rankKey(host.appliance, rack: host.rack)
        if host.rank > (try views.get(.settings, rankKey, in: txn)?.integerValue ?? -1) {
            try views.put(.settings, rankKey, .integer(host.rank), in: txn)
        }
        let eth0 = Interface(host: host.name, device: "eth0", mac: decision.mac, ip: decision.ip, subnet: "private", name: host.name)
        try InterfaceStore(views: views).put(eth0, in: txn)
        try decision.marks.fold(into: views, in: txn)
    }

    func keysIntroduced(by record: Record) throws -> [PublicKey] { [] }

    func keysRevoked(by record: Record) throws -> [KeyID] { [] }
}

/// What `add host` decided: the host's name, membership and place, and its `eth0` on the
/// private network.
struct AddHostDecision: Sendable {
    let name: String
    let membership: Membership
    let rack: Int64
    let rank: Int64
    let cpus: Int64
    let mac: MACAddress?
    let ip: IPv4Address
    let marks: AllocationMarks

    var json: JSONValue {
        var fields: JSONObject = ["name": .string(name), "membership": .string(membership.rawValue), "rack": .integer(rack),
                                  "rank": .integer(rank), "cpus": .integer(cpus), "ip": .string(ip.description)]
        if let mac { fields["mac"] = .string(mac.description) }
        return marks.adding(to: fields)
    }
}

/// `rocks add host interface <host> <iface> [mac=] [ip=] [subnet=] [vlan=] [module=] [name=]`.
struct AddHostInterfaceOperation: Operation {
    let op = "add host interface"

    func authorize(_ signer: KeyEntry, _ request: RequestEnvelope, views: ViewStore, in txn: borrowing Transaction) throws -> Authorization {
        .role(signer, in: [.admin], for: request)
    }

    func decide(_ request: RequestEnvelope, context: AppendContext, views: ViewStore, in txn: borrowing Transaction) throws -> JSONValue {
        let host = try HostResolver(views: views).resolveOne(try request.argument("host", missing: "must supply a host"), in: txn)
        let device = try request.argument("iface", missing: "must supply an interface")
        try InterfaceRules.checkPhysical(host)
        try InterfaceRules.checkDevice(device)
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
            try settings.checkInterfaceAddress(ip, subnet: subnet)
            try allocator.claim(ip, in: txn)
        }
        let vlan = try InterfaceRules.vlan(request.args["vlan"], device: device)
        let interface = Interface(host: host.name, device: device, mac: mac, ip: ip, subnet: subnet, module: request.args["module"],
                                  name: request.args["name"], vlan: vlan)
        return InterfaceChange(interface: interface, marks: AllocationMarks(allocator)).json
    }

    func prepare(_ record: Record) throws -> InterfaceChange { try FieldReader.read(record, InterfaceChange.init) }

    func fold(_ change: InterfaceChange, record: Record, into views: ViewStore, in txn: borrowing Transaction) throws {
        try change.fold(into: views, in: txn)
    }

    func keysIntroduced(by record: Record) throws -> [PublicKey] { [] }

    func keysRevoked(by record: Record) throws -> [KeyID] { [] }
}

extension AddHostDecision {
    init(_ decision: FieldReader) throws {
        guard let membership = Membership(rawValue: try decision.string("membership")) else {
            throw decision.malformed("membership", "is not a membership")
        }
        self.init(name: try decision.string("name"), membership: membership, rack: try decision.integer("rack"),
                  rank: try decision.integer("rank"), cpus: try decision.integer("cpus"), mac: try decision.optionalMAC("mac"),
                  ip: try decision.ip("ip"), marks: try AllocationMarks(decision))
    }
}
