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

/// An operation whose decision is a ``Removal``: they all fold the same way.
protocol RemovalOperation: Operation {}

extension RemovalOperation {
    func apply(_ request: RequestEnvelope, decision: JSONValue, record: Record, views: ViewStore, in txn: borrowing Transaction) throws {
        try Removal(json: decision).apply(sequence: record.sequence, views: views, in: txn)
    }
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
struct RemoveHostVMOperation: RemovalOperation {
    let op = "remove host vm"
    let allowedRoles: Set<KeyEntry.Role> = [.admin]

    func decide(_ request: RequestEnvelope, context: AppendContext, views: ViewStore, in txn: borrowing Transaction) throws -> JSONValue {
        var removal = Removal()
        let deleteDisks = request.args["delete-disks"] == "yes"
        for host in try HostResolver(views: views, includeRemoving: true).removable(try requireHosts(request), in: txn) {
            guard host.isVM, let vm = try views.get(.vms, host.name, in: txn).map(VirtualMachine.init(json:)) else {
                throw DomainError("host \(host.name) is not a VM")
            }
            try refuseVirtualFrontend(host, views: views, in: txn)
            removal.removeVM(vm, sequence: context.sequence, deleteDisks: deleteDisks)
        }
        try removal.revokeKeys(views: views, in: txn)
        return removal.json
    }
}

/// `rocks remove host <host...>`: a VM as `remove host vm` does; a physical host at once,
/// once it holds no VMs.
struct RemoveHostOperation: RemovalOperation {
    let op = "remove host"
    let allowedRoles: Set<KeyEntry.Role> = [.admin]

    func decide(_ request: RequestEnvelope, context: AppendContext, views: ViewStore, in txn: borrowing Transaction) throws -> JSONValue {
        var removal = Removal()
        let settings = try views.settings(in: txn)
        let hosts = try HostResolver(views: views, includeRemoving: true).removable(try requireHosts(request), in: txn)
        let everyVM = try views.scan(.vms, in: txn).map { try VirtualMachine(json: $0.1) }
        for host in hosts {
            if host.name == settings.hostName { throw DomainError("host \(host.name) is the physical frontend and cannot be removed") }
            try refuseVirtualFrontend(host, views: views, in: txn)
            if host.isVM, let vm = try views.get(.vms, host.name, in: txn).map(VirtualMachine.init(json:)) {
                removal.removeVM(vm, sequence: context.sequence, deleteDisks: request.args["delete-disks"] == "yes")
                continue
            }
            let guests = everyVM.filter { $0.container == host.name && !hosts.map(\.name).contains($0.name) }.map(\.name)
            guard guests.isEmpty else {
                throw DomainError("host \(host.name) still holds VMs (\(guests.joined(separator: ", "))); remove them first")
            }
            removal.hosts.append(host.name)
        }
        try removal.revokeKeys(views: views, in: txn)
        return removal.json
    }
}

/// `rocks remove cluster <frontend...> [delete-disks=no|yes]`: every VM of each virtual cluster
/// is stopped and undefined (Rocks 6.1 left them running, §9.2 #13), and the containers'
/// VLAN rows go with the VLAN once that has succeeded. No container network is restarted.
struct RemoveClusterOperation: RemovalOperation {
    let op = "remove cluster"
    let allowedRoles: Set<KeyEntry.Role> = [.admin]

    func decide(_ request: RequestEnvelope, context: AppendContext, views: ViewStore, in txn: borrowing Transaction) throws -> JSONValue {
        let names = request.list("hosts")
        guard !names.isEmpty else { throw DomainError("must supply at least one frontend name") }
        let frontends = try HostResolver(views: views, includeRemoving: true).removable(names, in: txn)
        guard frontends.count == 1 else { throw DomainError("remove one virtual cluster per request; \(names.joined(separator: " ")) names \(frontends.count)") }
        let frontend = frontends[0]
        guard frontend.appliance == Membership.frontend.appliance else { throw DomainError("host \(frontend.name) is not a frontend") }
        guard frontend.isVM, let cluster = try views.get(.clusters, frontend.name, in: txn).map(VirtualCluster.init(json:)) else {
            throw DomainError("host \(frontend.name) is not a virtual frontend")
        }
        var removal = Removal()
        removal.cluster = cluster.frontend
        let deleteDisks = request.args["delete-disks"] == "yes"
        var vms: [VirtualMachine] = []
        for (key, _) in try views.scan(.vlanUsers, prefix: InterfaceStore.vlanKey(cluster.vlan), in: txn) {
            let parts = key.split(separator: "/").map(String.init)
            guard parts.count == 3 else { continue }
            if let vm = try views.get(.vms, parts[1], in: txn).map(VirtualMachine.init(json:)) {
                // A VM whose own removal is under way is left to that removal.
                let removing = try views.get(.hosts, vm.name, in: txn).map(Host.init(json:))?.removal != nil
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
        try removal.revokeKeys(views: views, in: txn)
        return removal.json
    }
}

/// `rocks remove host interface <host> <iface>`: a physical host's NIC or VLAN row.
struct RemoveHostInterfaceOperation: Operation {
    let op = "remove host interface"
    let allowedRoles: Set<KeyEntry.Role> = [.admin]

    func decide(_ request: RequestEnvelope, context: AppendContext, views: ViewStore, in txn: borrowing Transaction) throws -> JSONValue {
        let host = try HostResolver(views: views).resolveOne(try request.argument("host", missing: "must supply a host"), in: txn)
        let device = try request.argument("iface", missing: "must supply an interface")
        guard !host.isVM else {
            throw DomainError("host \(host.name) is a VM: its interfaces go with it ('rocks remove host vm \(host.name)')")
        }
        guard try views.contains(.interfaces, Interface.key(host.name, device), in: txn) else {
            throw DomainError("interface \"\(device)\" doesn't exist on host \(host.name)")
        }
        return .object(["interface": .string(Interface.key(host.name, device))])
    }

    func apply(_ request: RequestEnvelope, decision: JSONValue, record: Record, views: ViewStore, in txn: borrowing Transaction) throws {
        guard let key = try decision.decided("interface").stringValue,
              let interface = try views.get(.interfaces, key, in: txn).map(Interface.init(json:))
        else { throw DomainError("record \(record.sequence) removes an interface that is not there") }
        try InterfaceStore(views: views).remove(interface, in: txn)
    }
}
