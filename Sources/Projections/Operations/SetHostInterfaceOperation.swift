import Ledger
import Signing

/// `rocks set host interface <field> <host> <iface> <value>` for the fields Rocks has:
/// `ip`, `mac`, `subnet`, `name`, `vlan`, `module`. Uniqueness is checked as on add.
struct SetHostInterfaceOperation: Operation {
    static let fields = ["ip", "mac", "subnet", "name", "vlan", "module"]
    let field: String
    var op: String { "set host interface " + field }

    func authorize(_ signer: KeyEntry, _ request: RequestEnvelope, views: ViewStore, in txn: borrowing Transaction) throws -> Authorization {
        .role(signer, in: [.admin], for: request)
    }

    static var all: [SetHostInterfaceOperation] { fields.map(SetHostInterfaceOperation.init(field:)) }

    func decide(_ request: RequestEnvelope, context: AppendContext, views: ViewStore, in txn: borrowing Transaction) throws -> JSONValue {
        let host = try HostResolver(views: views).resolveOne(try request.argument("host", missing: "must supply a host"), in: txn)
        let device = try request.argument("iface", missing: "must supply an interface")
        guard var interface = try views.row(.interfaces, Interface.key(host.name, device), as: Interface.self, in: txn) else {
            throw DomainError("interface \"\(device)\" doesn't exist on host \(host.name)")
        }
        let settings = try views.settings(in: txn)
        var allocator = Allocator(views: views, settings: settings, context: context)
        let value = request.args[field].flatMap { $0.isEmpty || $0 == "none" ? nil : $0 }
        switch field {
        case "ip":
            let ip = value == nil ? nil : try request.ip()
            if let ip, ip != interface.ip {
                try settings.checkInterfaceAddress(ip, subnet: interface.subnet)
                try allocator.claim(ip, in: txn)
            }
            interface.ip = ip
        case "mac":
            let mac = value == nil ? nil : try request.mac()
            if let mac, mac != interface.mac { try allocator.claim(mac, in: txn) }
            interface.mac = mac
        case "subnet":
            if let value, settings.subnet(named: value) == nil {
                throw DomainError("could not get subnet id for subnet \"\(value)\"; valid: private, public")
            }
            if let value, let ip = interface.ip { try settings.checkInterfaceAddress(ip, subnet: value) }
            interface.subnet = value
            // Rocks names an unnamed interface after its host when it gets a subnet.
            if interface.name == nil, value != nil { interface.name = host.name }
        case "vlan":
            let vlan = try InterfaceRules.vlan(value ?? "none", device: device)
            if vlan != interface.vlan { try InterfaceRules.checkUnused(interface, views: views, in: txn) }
            interface.vlan = vlan
        case "name": interface.name = value
        default: interface.module = value
        }
        return InterfaceChange(interface: interface, marks: AllocationMarks(allocator)).json
    }

    func prepare(_ record: Record) throws -> InterfaceChange { try FieldReader.read(record, InterfaceChange.init) }

    func fold(_ change: InterfaceChange, record: Record, into views: ViewStore, in txn: borrowing Transaction) throws {
        try change.fold(into: views, in: txn)
    }

    func keysIntroduced(by record: Record) throws -> [PublicKey] { [] }

    func keysRevoked(by record: Record) throws -> [KeyID] { [] }
}
