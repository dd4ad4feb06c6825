import Ledger
import Signing

/// What a key may reach through the Airboss, and how an owner names a VM.
///
/// A key added to a virtual frontend reaches every VM of that cluster, the frontend
/// included; a key added to any other VM reaches that VM only; the admin key reaches every
/// VM. An owner names a VM by a canonical MAC or by its name in this ledger, and nothing
/// else is ever looked up: no appliance names, racks, IPs or patterns.
///
/// A VM that does not exist and a VM of someone else's cluster are refused with the same
/// reason, so a key learns nothing about other clusters.
public enum OwnerScope {
    /// The operations the Airboss takes; every other op is an operator's, local to `rocks`.
    public static let operations: Set<String> = [SetHostPowerOperation.hostOp, SetHostPowerOperation.clusterOp, listMACs, openConsole]
    public static let listMACs = ListHostMACsOperation.op
    public static let openConsole = OpenHostConsoleOperation.op

    /// The VMs a `list host macs` record listed, in order, read from its decision.
    public static func listedVMs(in record: Record) throws -> [String] {
        var names: [String] = []
        for listed in try FieldReader.read(record, ListHostMACsOperation.Decision.init).macs where !names.contains(listed.name) {
            names.append(listed.name)
        }
        return names
    }

    /// A target as an owner may give it.
    enum Target: Equatable {
        case mac(MACAddress)
        case name(String)

        /// Only `^[0-9a-f]{2}(:[0-9a-f]{2}){5}$` (any case) or a host name's syntax; anything
        /// else is refused before it reaches a lookup.
        init(_ text: String) throws(DomainError) {
            let octets = text.split(separator: ":", omittingEmptySubsequences: false)
            if octets.count == 6, octets.allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isHexDigit) }), let mac = MACAddress(text.lowercased()) {
                self = .mac(mac)
                return
            }
            guard (try? HostName.check(text)) != nil else {
                throw DomainError("target \(MessageText.quote(text)) is neither a MAC address (six hex octets separated by colons) nor a host name")
            }
            self = .name(text)
        }
    }

    /// The targets of an owner's request, in the order given: at least one, each well formed.
    static func targets(_ request: RequestEnvelope, _ argument: String) throws(DomainError) -> [(text: String, target: Target)] {
        let texts = request.list(argument)
        guard !texts.isEmpty else { throw DomainError("must supply a host (a MAC address or a host name)") }
        guard texts.count <= 256 else { throw DomainError("at most 256 hosts per request") }
        var targets: [(text: String, target: Target)] = []
        for text in texts { targets.append((text, try Target(text))) }
        return targets
    }

    /// The live VM `target` names, or nil when none does.
    static func vm(_ target: Target, views: ViewStore, in txn: borrowing Transaction) throws -> VirtualMachine? {
        let name: String
        switch target {
        case .name(let given): name = given
        case .mac(let mac):
            guard let owner = try InterfaceStore(views: views).owner(of: mac, in: txn), let host = owner.split(separator: "/").first else { return nil }
            name = String(host)
        }
        guard let host = try views.row(.hosts, name, as: Host.self, in: txn), host.isVM, host.removal == nil else { return nil }
        return try views.row(.vms, name, as: VirtualMachine.self, in: txn)
    }

    /// Whether `signer` may act on `vm`.
    static func reaches(_ signer: KeyEntry, _ vm: VirtualMachine) -> Bool {
        switch signer.role {
        case .admin: true
        case .frontend: false
        case .host: signer.host == vm.name || (signer.host != nil && signer.host == vm.cluster)
        }
    }

    /// The VMs `targets` name, each one `signer` reaches; or the refusal, the same whether a
    /// target is missing or someone else's.
    static func resolve(_ targets: [(text: String, target: Target)], for signer: KeyEntry, views: ViewStore,
                        in txn: borrowing Transaction) throws -> Result<[VirtualMachine], Refusal>
    {
        var vms: [VirtualMachine] = []
        for (text, target) in targets {
            guard let vm = try vm(target, views: views, in: txn), reaches(signer, vm) else {
                return .failure(Refusal(reason: "key \(signer.id.short) reaches no VM named \(MessageText.quote(text))"))
            }
            if !vms.contains(where: { $0.name == vm.name }) { vms.append(vm) }
        }
        return .success(vms)
    }

    struct Refusal: Error {
        let reason: String
    }

    /// The VMs of `vm`'s cluster when `vm` is a virtual frontend, else `vm` alone: what its
    /// owner's key reaches.
    static func cluster(of vm: VirtualMachine, views: ViewStore, in txn: borrowing Transaction) throws -> (VirtualCluster?, [String]) {
        guard let cluster = try views.row(.clusters, vm.name, as: VirtualCluster.self, in: txn) else { return (nil, [vm.name]) }
        return (cluster, [cluster.frontend] + cluster.computes)
    }
}
