import Ledger
import Signing

/// `rocks add cluster <ip> <num-computes> [cpus-per-compute=1] [mem-per-compute=1024]
/// [disk-per-compute=36] [disk-per-frontend=36] [vlan=] [container-hosts=] [fe-name=] [fe-container=]`:
/// a virtual frontend, its computes spread round-robin over the containers, and the VLAN that
/// is their private network, all decided in one record.
struct AddClusterOperation: PreparedOperation {
    let op = "add cluster"
    let allowedRoles: Set<KeyEntry.Role> = [.admin]
    /// A bound on one request's size: 1,000 computes decide in well under a second.
    static let maximumComputes: Int64 = 10_000

    func decide(_ request: RequestEnvelope, context: AppendContext, views: ViewStore, in txn: borrowing Transaction) throws -> JSONValue {
        let ipText = try request.argument("ip", missing: "must supply an IP address for the frontend")
        guard let publicIP = IPv4Address(ipText) else { throw DomainError("ip '\(ipText)' is not an IPv4 address") }
        _ = try request.argument("num-computes", missing: "must supply the number of compute nodes")
        let count = try request.integer("num-computes", message: "num-computes must be an integer")!
        guard (0...Self.maximumComputes).contains(count) else {
            throw DomainError("num-computes must be between 0 and \(Self.maximumComputes)")
        }
        try request.checkVirtType()
        let cpus = try request.positive("cpus-per-compute", default: 1, message: "cpus-per-compute must be a positive integer")
        let memory = try request.positive("mem-per-compute", default: 1024, message: "mem-per-compute must be a positive integer")
        let computeDisk = try request.positive("disk-per-compute", default: 36, message: "disk-per-compute must be a positive integer")
        let frontendDisk = try request.positive("disk-per-frontend", default: 36, message: "disk-per-frontend must be a positive integer")

        let settings = try views.settings(in: txn)
        guard settings.publicSubnet.contains(publicIP) else {
            throw DomainError("ip \(publicIP) is not in the public network \(settings.publicSubnet.network)/\(settings.publicSubnet.netmask)")
        }
        let resolver = HostResolver(views: views)
        let frontendContainer = try resolver.resolveOne(request.args["fe-container"].flatMap { $0.isEmpty ? nil : $0 } ?? settings.hostName, in: txn)
        // container-hosts keeps the operator's order (names are resolved one by one).
        var containers: [Host] = []
        for name in request.list("container-hosts") {
            for host in try resolver.resolve([name], in: txn) where !containers.contains(host) { containers.append(host) }
        }
        if containers.isEmpty {
            containers = try resolver.allHosts(in: txn).filter { $0.membership == Membership.vmContainer.rawValue }.sorted { $0.order < $1.order }
            if containers.isEmpty { containers = [try resolver.resolveOne(settings.hostName, in: txn)] }
        }
        for host in containers + [frontendContainer] where host.isVM {
            throw DomainError("host \(host.name) is a VM; a VM cannot hold VMs")
        }

        var allocator = Allocator(views: views, settings: settings, context: context)
        try allocator.claim(publicIP, in: txn)
        let vlan: Int64
        if let given = try request.integer("vlan", message: "Vlan ID (\(request.args["vlan"] ?? "")) must be an integer") {
            try allocator.claim(vlan: given, in: txn)
            vlan = given
        } else {
            vlan = try allocator.vlan(in: txn)
        }

        var frontendRequest = VMRequest(container: frontendContainer, membership: .frontend)
        frontendRequest.name = request.args["fe-name"].flatMap { $0.isEmpty ? nil : $0 }
        frontendRequest.diskGB = frontendDisk
        frontendRequest.macCount = 2
        frontendRequest.macs = try request.macList("fe-macs")
        frontendRequest.vlans = [vlan, 0]
        frontendRequest.runAction = "os"
        frontendRequest.installAction = "install vm frontend"
        var frontend = try allocator.allocate(frontendRequest, index: 0, in: txn)
        let frontendName = frontend.host.name
        frontend.vm.cluster = frontendName
        // eth1 is the virtual frontend's public NIC, at the cluster's IP.
        frontend.interfaces[1].subnet = "public"
        frontend.interfaces[1].ip = publicIP
        frontend.interfaces[1].name = frontendName

        var computes: [VMAllocation] = []
        for index in 0..<Int(count) {
            var compute = VMRequest(container: containers[index % containers.count], membership: .hostedVM)
            compute.memory = memory
            compute.cpus = cpus
            compute.diskGB = computeDisk
            compute.vlans = [vlan]
            compute.cluster = frontendName
            compute.runAction = "none"
            compute.installAction = "install"
            computes.append(try allocator.allocate(compute, index: index + 1, in: txn))
        }

        // Each container that hosts a VM of the cluster carries its VLAN (Rocks' addVlanToHost).
        var carriers: [Interface] = []
        for host in [frontendContainer] + containers.prefix(Int(count)) where !carriers.contains(where: { $0.host == host.name }) {
            if try views.contains(.interfaces, Interface.key(host.name, "vlan\(vlan)"), in: txn) {
                throw DomainError("host \(host.name) already has an interface named vlan\(vlan) on another VLAN; rename or remove it first")
            }
            carriers.append(Interface(host: host.name, device: "vlan\(vlan)", subnet: "private", vlan: vlan))
        }
        let cluster = VirtualCluster(frontend: frontendName, vlan: vlan, publicIP: publicIP, computes: computes.map(\.host.name))
        return .withAllocationMarks([
            "cluster": cluster.json, "frontend": frontend.json, "computes": .array(computes.map(\.json)),
            "container-vlans": .array(carriers.map(\.json)),
        ], allocator)
    }

    /// Folding one `add cluster`: the cluster's row and every VM's rows as the decider stored
    /// them (``VirtualCluster/json``, ``VMAllocation/json``), read from the decision's bytes.
    func prepareFold(_ record: Record) throws -> PreparedWrites {
        try record.withDecision { stored in
            var field = stored.members
            guard let cluster = field("cluster"), let computes = field("computes")?.elements,
                  let carriers = field("container-vlans")?.elements, let frontend = field("frontend")
            else { throw malformed(record) }
            var clusterField = cluster.members
            guard let name = clusterField("frontend")?.stringValue else { throw malformed(record) }
            var writes = PreparedWrites(reservingFor: stored.raw.count)
            writes.put(.clusters, key: name, value: cluster.raw)
            // The computes are in the cluster's row already: none joins it again.
            for vm in [frontend] + computes { try writes.putVM(stored: vm, joiningCluster: false) }
            for carrier in carriers { try writes.putInterface(stored: carrier) }
            writes.putAllocationMarks(stored: stored)
            return writes
        }
    }

    func fold(_ writes: PreparedWrites, record: Record, views: ViewStore, in txn: borrowing Transaction) throws {
        try writes.apply(views: views, in: txn)
    }
}
