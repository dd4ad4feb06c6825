import Ledger
import Signing

/// Shared checks of the remove commands.
private extension HostResolver {
    /// Resolves hosts for a removal, refusing any whose removal is already under way.
    func removable(_ names: [String], in txn: borrowing Transaction) throws -> [Host] {
        let hosts = try resolve(names, in: txn)
        for host in hosts {
            if let removal = host.removal { throw DomainError("host \(host.name) is already being removed (record \(removal))") }
        }
        return hosts
    }
}

/// The operations whose decision is a ``Removal``: each decides what goes in its own way
/// (``RemovalDecider``), and all are authorised and folded alike.
struct RemovalOperation<Decider: RemovalDecider>: Operation {
    let decider: Decider
    var op: String { decider.op }

    func authorize(_ signer: KeyEntry, _ request: RequestEnvelope, views: ViewStore, in txn: borrowing Transaction) throws -> Authorization {
        .role(signer, in: [.admin], for: request)
    }

    func decide(_ request: RequestEnvelope, context: AppendContext, views: ViewStore, in txn: borrowing Transaction) throws -> JSONValue {
        var removal = try decider.removal(for: request, context: context, views: views, in: txn)
        try removal.revokeKeys(views: views, in: txn)
        return removal.json
    }

    func prepare(_ record: Record) throws -> Removal {
        try FieldReader.read(record) { try Removal($0, sequence: record.sequence) }
    }

    func fold(_ removal: Removal, record: Record, into views: ViewStore, in txn: borrowing Transaction) throws {
        try removal.fold(sequence: record.sequence, into: views, in: txn)
    }

    func keysIntroduced(by record: Record) throws -> [PublicKey] { [] }

    func keysRevoked(by record: Record) throws -> [KeyID] { try prepare(record).revokedKeys }
}

/// What one remove command takes away.
protocol RemovalDecider: Sendable {
    var op: String { get }
    func removal(for request: RequestEnvelope, context: AppendContext, views: ViewStore, in txn: borrowing Transaction) throws -> Removal
}

/// A virtual frontend goes only with its whole cluster.
private func refuseVirtualFrontend(_ host: Host, views: ViewStore, in txn: borrowing Transaction) throws {
    if try views.contains(.clusters, host.name, in: txn) {
        throw DomainError("host \(host.name) is a virtual frontend: remove it with 'rocks remove cluster \(host.name)'")
    }
}

private func requireHosts(_ request: RequestEnvelope) throws(DomainError) -> [String] {
    let names = request.list("hosts")
    guard !names.isEmpty else { throw DomainError("must supply at least one host") }
    return names
}

/// `rocks remove host vm <vm...> [delete-disks=no|yes]`: stop, undefine and optionally delete
/// each VM's disks; the name, MACs and IP are freed when that has succeeded.
struct RemoveHostVM: RemovalDecider {
    let op = "remove host vm"

    func removal(for request: RequestEnvelope, context: AppendContext, views: ViewStore, in txn: borrowing Transaction) throws -> Removal {
        var removal = Removal()
        let deleteDisks = request.args["delete-disks"] == "yes"
        for host in try HostResolver(views: views, includeRemoving: true).removable(try requireHosts(request), in: txn) {
            guard host.isVM, let vm = try views.row(.vms, host.name, as: VirtualMachine.self, in: txn) else {
                throw DomainError("host \(host.name) is not a VM")
            }
            try refuseVirtualFrontend(host, views: views, in: txn)
            removal.removeVM(vm, sequence: context.sequence, deleteDisks: deleteDisks)
        }
        return removal
    }
}

/// `rocks remove host <host...>`: a VM as `remove host vm` does; a physical host at once,
/// once it holds no VMs.
struct RemoveHost: RemovalDecider {
    let op = "remove host"

    func removal(for request: RequestEnvelope, context: AppendContext, views: ViewStore, in txn: borrowing Transaction) throws -> Removal {
        var removal = Removal()
        let settings = try views.settings(in: txn)
        let hosts = try HostResolver(views: views, includeRemoving: true).removable(try requireHosts(request), in: txn)
        let everyVM = try views.rows(.vms, as: VirtualMachine.self, in: txn)
        for host in hosts {
            if host.name == settings.hostName { throw DomainError("host \(host.name) is the physical frontend and cannot be removed") }
            try refuseVirtualFrontend(host, views: views, in: txn)
            if host.isVM, let vm = try views.row(.vms, host.name, as: VirtualMachine.self, in: txn) {
                removal.removeVM(vm, sequence: context.sequence, deleteDisks: request.args["delete-disks"] == "yes")
                continue
            }
            let guests = everyVM.filter { $0.container == host.name && !hosts.map(\.name).contains($0.name) }.map(\.name)
            guard guests.isEmpty else {
                throw DomainError("host \(host.name) still holds VMs (\(guests.joined(separator: ", "))); remove them first")
            }
            removal.hosts.append(host.name)
        }
        return removal
    }
}

/// `rocks remove cluster <frontend...> [delete-disks=no|yes]`: every VM of each virtual cluster
/// is stopped and undefined (Rocks 6.1 left them running, §9.2 #13), and the containers'
/// VLAN rows go with the VLAN once that has succeeded. No container network is restarted.
struct RemoveCluster: RemovalDecider {
    let op = "remove cluster"

    func removal(for request: RequestEnvelope, context: AppendContext, views: ViewStore, in txn: borrowing Transaction) throws -> Removal {
        let names = request.list("hosts")
        guard !names.isEmpty else { throw DomainError("must supply at least one frontend name") }
        let frontends = try HostResolver(views: views, includeRemoving: true).removable(names, in: txn)
        guard frontends.count == 1 else { throw DomainError("remove one virtual cluster per request; \(names.joined(separator: " ")) names \(frontends.count)") }
        let frontend = frontends[0]
        guard frontend.appliance == Membership.frontend.appliance else { throw DomainError("host \(frontend.name) is not a frontend") }
        guard frontend.isVM, let cluster = try views.row(.clusters, frontend.name, as: VirtualCluster.self, in: txn) else {
            throw DomainError("host \(frontend.name) is not a virtual frontend")
        }
        var removal = Removal()
        removal.cluster = cluster.frontend
        let deleteDisks = request.args["delete-disks"] == "yes"
        var vms: [VirtualMachine] = []
        for key in try views.keys(.vlanUsers, prefix: InterfaceStore.vlanKey(cluster.vlan), in: txn) {
            let parts = key.split(separator: "/").map(String.init)
            guard parts.count == 3 else { continue }
            if let vm = try views.row(.vms, parts[1], as: VirtualMachine.self, in: txn) {
                // A VM whose own removal is under way is left to that removal.
                let removing = try views.row(.hosts, vm.name, as: Host.self, in: txn)?.removal != nil
                if !removing, !vms.contains(vm) { vms.append(vm) }
            } else {
                removal.interfaces.append(parts[1] + "/" + parts[2])
            }
        }
        // The frontend first, then its computes by name.
        let ordered = vms.filter { $0.name == frontend.name } + vms.filter { $0.name != frontend.name }.sorted { $0.name < $1.name }
        for vm in ordered {
            removal.removeVM(vm, sequence: context.sequence, deleteDisks: deleteDisks)
        }
        return removal
    }
}

/// `rocks remove host interface <host> <iface>`: a physical host's NIC or VLAN row.
struct RemoveHostInterfaceOperation: Operation {
    let op = "remove host interface"

    func authorize(_ signer: KeyEntry, _ request: RequestEnvelope, views: ViewStore, in txn: borrowing Transaction) throws -> Authorization {
        .role(signer, in: [.admin], for: request)
    }

    func decide(_ request: RequestEnvelope, context: AppendContext, views: ViewStore, in txn: borrowing Transaction) throws -> JSONValue {
        let host = try HostResolver(views: views).resolveOne(try request.argument("host", missing: "must supply a host"), in: txn)
        let device = try request.argument("iface", missing: "must supply an interface")
        guard !host.isVM else {
            throw DomainError("host \(host.name) is a VM: its interfaces go with it ('rocks remove host vm \(host.name)')")
        }
        guard let interface = try views.row(.interfaces, Interface.key(host.name, device), as: Interface.self, in: txn) else {
            throw DomainError("interface \"\(device)\" doesn't exist on host \(host.name)")
        }
        try InterfaceRules.checkUnused(interface, views: views, in: txn)
        return Decision(host: host.name, device: device).json
    }

    /// The host and device of the interface that goes.
    struct Decision: Sendable {
        let host: String
        let device: String

        var json: JSONValue { ["host": .string(host), "device": .string(device)] }
    }

    func prepare(_ record: Record) throws -> Decision { try FieldReader.read(record, Decision.init) }

    func fold(_ decision: Decision, record: Record, into views: ViewStore, in txn: borrowing Transaction) throws {
        guard let interface = try views.row(.interfaces, Interface.key(decision.host, decision.device), as: Interface.self, in: txn) else {
            throw DomainError("record \(record.sequence) removes an interface that is not there")
        }
        try InterfaceStore(views: views).remove(interface, in: txn)
    }

    func keysIntroduced(by record: Record) throws -> [PublicKey] { [] }

    func keysRevoked(by record: Record) throws -> [KeyID] { [] }
}

extension RemoveHostInterfaceOperation.Decision {
    init(_ decision: FieldReader) throws {
        self.init(host: try decision.string("host"), device: try decision.string("device"))
    }
}
