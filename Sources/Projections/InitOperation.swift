import Ledger
import Signing

/// `rocks init`: the genesis record. It registers the admin and frontend keys, the physical
/// frontend as the first host, and the settings later deciders read (public IP, networks).
struct InitOperation: Operation {
    let op = Genesis.op
    let allowedRoles: Set<KeyEntry.Role> = [.admin]

    func decide(_ request: RequestEnvelope, context: AppendContext, views: ViewStore, in txn: borrowing Transaction) throws -> JSONValue {
        let settings = try FrontendSettings(initArguments: request.args)
        // The settings as resolved today, defaults included, so folds never apply defaults.
        return .object(["frontend": .string(settings.hostName), "settings": settings.json])
    }

    func apply(_ request: RequestEnvelope, decision: JSONValue, record: Record, views: ViewStore, in txn: borrowing Transaction) throws {
        let genesis = try Genesis(request: record.request)
        let settings = try FrontendSettings(json: try decision.decided("settings"))
        try views.put(.settings, FrontendSettings.key, settings.json, in: txn)
        for (key, role) in [(genesis.adminKey, KeyEntry.Role.admin), (genesis.frontendKey, .frontend)] {
            let entry = KeyEntry(id: key.id, role: role, host: nil, number: nil, pem: key.pem, since: record.sequence)
            try views.put(.keys, key.id.hex, entry.json, in: txn)
        }
        let name = try decision.decided("frontend").stringValue ?? settings.hostName
        let frontend = Host(name: name, membership: Membership.frontend.rawValue, appliance: Membership.frontend.appliance,
                            rack: 0, rank: 0, order: Host.order(record.sequence, 0))
        try views.put(.hosts, frontend.name, frontend.json, in: txn)
        // The physical frontend's own NICs: its private address, and its public one named by
        // its FQDN (what `list cluster` shows for the physical cluster).
        let interfaces = InterfaceStore(views: views)
        try interfaces.put(Interface(host: name, device: "eth0", ip: settings.privateIP, subnet: "private", name: name), in: txn)
        try interfaces.put(Interface(host: name, device: "eth1", ip: settings.publicIP, subnet: "public", name: settings.fqdn), in: txn)
    }

    func keysIntroduced(_ request: RequestEnvelope, decision: JSONValue) -> [PublicKey] {
        [Genesis.adminKeyArgument, Genesis.frontendKeyArgument].compactMap { request.args[$0].flatMap { try? PublicKey(pem: $0) } }
    }
}
