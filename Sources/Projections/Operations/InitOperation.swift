import Ledger
import Signing

/// `rocks init`: the genesis record. It registers the admin and frontend keys, the physical
/// frontend as the first host, and the settings later deciders read (public IP, networks).
struct InitOperation: Operation {
    let op = Genesis.op
    /// The `settings` key holding the decision format the ledger was written in.
    static let formatKey = "decision-format"

    func authorize(_ signer: KeyEntry, _ request: RequestEnvelope, views: ViewStore, in txn: borrowing Transaction) throws -> Authorization {
        .role(signer, in: [.admin], for: request)
    }

    func decide(_ request: RequestEnvelope, context: AppendContext, views: ViewStore, in txn: borrowing Transaction) throws -> JSONValue {
        let settings = try FrontendSettings(initArguments: request.args)
        try settings.checkNetworks()
        return InitDecision(settings: settings).json
    }

    struct Prepared: Sendable {
        let decision: InitDecision
        let genesis: Genesis
    }

    func prepare(_ record: Record) throws -> Prepared {
        Prepared(decision: try FieldReader.read(record, InitDecision.init), genesis: try Genesis(request: record.request))
    }

    func fold(_ prepared: Prepared, record: Record, into views: ViewStore, in txn: borrowing Transaction) throws {
        let settings = prepared.decision.settings
        try views.put(.settings, FrontendSettings.key, settings, in: txn)
        try views.put(.settings, Self.formatKey, .integer(DecisionFormat.current), in: txn)
        for (key, role) in [(prepared.genesis.adminKey, KeyEntry.Role.admin), (prepared.genesis.frontendKey, .frontend)] {
            let entry = KeyEntry(id: key.id, role: role, host: nil, number: nil, pem: key.pem, since: record.sequence)
            try views.put(.keys, key.id.hex, entry, in: txn)
        }
        let name = settings.hostName
        let frontend = Host(name: name, membership: Membership.frontend.rawValue, appliance: Membership.frontend.appliance,
                            rack: 0, rank: 0, order: Host.order(record.sequence, 0))
        try views.put(.hosts, frontend.name, frontend, in: txn)
        // The physical frontend's own NICs: its private address, and its public one named by
        // its FQDN (what `list cluster` shows for the physical cluster).
        let interfaces = InterfaceStore(views: views)
        try interfaces.put(Interface(host: name, device: "eth0", ip: settings.privateIP, subnet: "private", name: name), in: txn)
        try interfaces.put(Interface(host: name, device: "eth1", ip: settings.publicIP, subnet: "public", name: settings.fqdn), in: txn)
    }

    func keysIntroduced(by record: Record) throws -> [PublicKey] {
        let genesis = try Genesis(request: record.request)
        return [genesis.adminKey, genesis.frontendKey]
    }

    func keysRevoked(by record: Record) throws -> [KeyID] { [] }
}

/// What `init` decided: the frontend's settings with every default resolved, so no fold
/// applies a default, and the decision format of the whole ledger.
struct InitDecision: Sendable {
    let settings: FrontendSettings

    init(settings: FrontendSettings) {
        self.settings = settings
    }

    var json: JSONValue {
        ["format": .integer(DecisionFormat.current), "settings": settings.json]
    }

    init(_ decision: FieldReader) throws {
        // Written before decisions held values; nothing after it can be folded by this build.
        guard let format = try decision.optionalInteger("format"), format == DecisionFormat.current else {
            throw decision.malformed("format", "is not \(DecisionFormat.current): the ledger was written by an earlier build; export it with that build's 'rocks dump' and replay the dump into a new ledger")
        }
        settings = try FrontendSettings(row: decision.object("settings"))
    }
}
