import Ledger
import Signing

/// `rocks add cluster <ip> <num-computes> [cpus-per-compute=1] [mem-per-compute=1024]
/// [disk-per-compute=36] [disk-per-frontend=36] [vlan=] [container-hosts=] [fe-name=] [fe-container=]`:
/// a virtual frontend, its computes spread round-robin over the containers, and the VLAN that
/// is their private network, all decided in one record.
struct AddClusterOperation: Operation {
    let op = "add cluster"
    /// A bound on one request's size: 1,000 computes decide in well under a second.
    static let maximumComputes: Int64 = 10_000

    func authorize(_ signer: KeyEntry, _ request: RequestEnvelope, views: ViewStore, in txn: borrowing Transaction) throws -> Authorization {
        .role(signer, in: [.admin], for: request)
    }

    func decide(_ request: RequestEnvelope, context: AppendContext, views: ViewStore, in txn: borrowing Transaction) throws -> JSONValue {
        let ipText = try request.argument("ip", missing: "must supply an IP address for the frontend")
        guard let publicIP = IPv4Address(ipText) else { throw DomainError("ip '\(ipText)' is not an IPv4 address") }
        _ = try request.argument("num-computes", missing: "must supply the number of compute nodes")
        let count = try request.number(WholeNumber("num-computes", 0...Self.maximumComputes))!
        try request.checkVirtType()
        let cpus = try request.number(.cpus("cpus-per-compute"), default: 1)!
        let memory = try request.number(.memory("mem-per-compute"), default: 1024)!
        let computeDisk = try request.number(.diskSize("disk-per-compute"), default: 36)!
        let frontendDisk = try request.number(.diskSize("disk-per-frontend"), default: 36)!

        let settings = try views.settings(in: txn)
        try settings.publicSubnet.checkHostAddress(publicIP)
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
        if let given = try request.number(.vlan()) {
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
        var frontend = try allocator.allocate(frontendRequest, in: txn)
        let frontendName = frontend.name
        frontend.vm.cluster = frontendName
        // eth1 is the virtual frontend's public NIC, at the cluster's IP.
        frontend.nics[1].subnet = "public"
        frontend.nics[1].ip = publicIP

        var computes: [VMDecision] = []
        for index in 0..<Int(count) {
            var compute = VMRequest(container: containers[index % containers.count], membership: .hostedVM)
            compute.memory = memory
            compute.cpus = cpus
            compute.diskGB = computeDisk
            compute.vlans = [vlan]
            compute.cluster = frontendName
            compute.runAction = "none"
            compute.installAction = "install"
            computes.append(try allocator.allocate(compute, in: txn))
        }

        // Each container that hosts a VM of the cluster carries its VLAN (Rocks' addVlanToHost).
        var carriers: [String] = []
        for host in [frontendContainer] + containers.prefix(Int(count)) where !carriers.contains(host.name) {
            if try views.contains(.interfaces, Interface.key(host.name, "vlan\(vlan)"), in: txn) {
                throw DomainError("host \(host.name) already has an interface named vlan\(vlan) on another VLAN; rename or remove it first")
            }
            carriers.append(host.name)
        }
        return AddClusterDecision(vlan: vlan, publicIP: publicIP, frontend: frontend, computes: computes, vlanCarriers: carriers,
                                  marks: AllocationMarks(allocator)).json
    }

    /// The cluster's row, each VM's rows, and the VLAN rows its containers get.
    struct Prepared: Sendable {
        let frontend: String
        let cluster: [UInt8]
        let vms: [VMRows]
        let vlanRows: [EncodedInterface]
        let marks: AllocationMarks
    }

    func prepare(_ record: Record) throws -> Prepared {
        let decision = try FieldReader.read(record, AddClusterDecision.init)
        let cluster = VirtualCluster(frontend: decision.frontend.name, vlan: decision.vlan, publicIP: decision.publicIP,
                                     computes: decision.computes.map(\.name))
        return Prepared(frontend: cluster.frontend, cluster: cluster.row,
                        vms: ([decision.frontend] + decision.computes).enumerated().map { VMRows($1, sequence: record.sequence, index: $0) },
                        vlanRows: decision.vlanCarriers.map { EncodedInterface(Interface(host: $0, device: "vlan\(decision.vlan)", subnet: "private", vlan: decision.vlan)) },
                        marks: decision.marks)
    }

    func fold(_ prepared: Prepared, record: Record, into views: ViewStore, in txn: borrowing Transaction) throws {
        try views.put(.clusters, prepared.frontend, encoded: prepared.cluster, in: txn)
        for vm in prepared.vms { try vm.fold(into: views, in: txn) }
        let store = InterfaceStore(views: views)
        for row in prepared.vlanRows { try store.put(row, in: txn) }
        try prepared.marks.fold(into: views, in: txn)
    }

    func keysIntroduced(by record: Record) throws -> [PublicKey] { [] }

    func keysRevoked(by record: Record) throws -> [KeyID] { [] }
}

/// What `add cluster` decided: the cluster's VLAN and public IP, its virtual frontend and
/// computes, and the containers that must carry the VLAN.
struct AddClusterDecision: Sendable {
    let vlan: Int64
    let publicIP: IPv4Address
    let frontend: VMDecision
    let computes: [VMDecision]
    /// Hosts that get a `vlan<N>` interface for the cluster.
    let vlanCarriers: [String]
    let marks: AllocationMarks

    var json: JSONValue {
        marks.adding(to: ["vlan": .integer(vlan), "public-ip": .string(publicIP.description), "frontend": frontend.json,
                          "computes": .array(computes.map(\.json)), "vlan-carriers": .array(vlanCarriers.map { .string($0) })])
    }
}

extension AddClusterDecision {
    init(_ decision: FieldReader) throws {
        self.init(vlan: try decision.integer("vlan"), publicIP: try decision.ip("public-ip"),
                  frontend: try VMDecision(try decision.object("frontend")), computes: try decision.array("computes", VMDecision.init),
                  vlanCarriers: try decision.strings("vlan-carriers"), marks: try AllocationMarks(decision))
    }
}
