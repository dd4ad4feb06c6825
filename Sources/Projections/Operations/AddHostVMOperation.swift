import Ledger
import Signing

/// `rocks add host vm <container...> membership= [name= mem= cpus= disksize= num-macs= vlan= mac= ip= slice=]`:
/// one VM on each container named, printing `added VM <name> on physical node <container>`.
struct AddHostVMOperation: Operation {
    let op = "add host vm"

    func authorize(_ signer: KeyEntry, _ request: RequestEnvelope, views: ViewStore, in txn: borrowing Transaction) throws -> Authorization {
        .role(signer, in: [.admin], for: request)
    }

    func decide(_ request: RequestEnvelope, context: AppendContext, views: ViewStore, in txn: borrowing Transaction) throws -> JSONValue {
        let membership = try Membership.required(by: request)
        let names = request.list("hosts")
        guard !names.isEmpty else { throw DomainError("must supply at least one host") }
        let containers = try HostResolver(views: views).resolve(names, in: txn)
        if containers.count > 1 {
            for parameter in ["name", "ip", "slice", "mac", "macs", "uuid"] where !(request.args[parameter] ?? "").isEmpty {
                throw DomainError("can't supply the '\(parameter)' parameter with more than one host")
            }
        }
        try request.checkVirtType()
        var template = VMRequest(container: containers[0], membership: membership)
        template.name = request.args["name"].flatMap { $0.isEmpty ? nil : $0 }
        template.slice = try request.number(.slice)
        template.memory = try request.number(.memory(), default: 1024)!
        template.cpus = try request.number(.cpus(), default: 1)!
        template.diskGB = try request.number(.diskSize(), default: 36)!
        template.macCount = Int(try request.number(.macCount, default: 1)!)
        guard template.macCount <= 16 else { throw DomainError("a VM has at most 16 NICs") }
        template.vlans = try Self.vlans(request.args["vlan"])
        template.mac = try request.mac()
        template.macs = try request.macList("macs")
        template.ip = try request.ip()
        template.uuid = try request.uuid()
        if let cluster = request.args["cluster"], !cluster.isEmpty {
            guard try views.contains(.clusters, cluster, in: txn) else { throw DomainError("\(cluster) is not a virtual frontend") }
            template.cluster = cluster
        }

        var allocator = Allocator(views: views, settings: try views.settings(in: txn), context: context)
        var vms: [VMDecision] = []
        for container in containers {
            guard !container.isVM else { throw DomainError("host \(container.name) is a VM; a VM cannot hold VMs") }
            var vm = template
            vm.container = container
            vms.append(try allocator.allocate(vm, in: txn))
        }
        return AddHostVMDecision(vms: vms, marks: AllocationMarks(allocator)).json
    }

    /// `vlan=2,0,none`: one entry per NIC; `none` (or empty) means no VLAN.
    static func vlans(_ text: String?) throws(DomainError) -> [Int64?] {
        guard let text, !text.isEmpty else { return [] }
        var vlans: [Int64?] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            if part.isEmpty || part == "none" {
                vlans.append(nil)
                continue
            }
            guard let vlan = Int64(part), (0...4095).contains(vlan) else { throw DomainError("Vlan ID (\(part)) must be an integer") }
            vlans.append(vlan)
        }
        return vlans
    }

    /// The rows of each VM decided, and the marks that moved.
    struct Prepared: Sendable {
        let vms: [VMRows]
        let marks: AllocationMarks
    }

    func prepare(_ record: Record) throws -> Prepared {
        let decision = try FieldReader.read(record, AddHostVMDecision.init)
        return Prepared(vms: decision.vms.enumerated().map { VMRows($1, sequence: record.sequence, index: $0) }, marks: decision.marks)
    }

    func fold(_ prepared: Prepared, record: Record, into views: ViewStore, in txn: borrowing Transaction) throws {
        for vm in prepared.vms {
            try vm.fold(into: views, in: txn)
            // `cluster=` makes the VM one of that virtual cluster's computes.
            if let frontend = vm.cluster, var cluster = try views.row(.clusters, frontend, as: VirtualCluster.self, in: txn) {
                cluster.computes.append(vm.name)
                try views.put(.clusters, frontend, cluster, in: txn)
            }
        }
        try prepared.marks.fold(into: views, in: txn)
    }

    func keysIntroduced(by record: Record) throws -> [PublicKey] { [] }

    func keysRevoked(by record: Record) throws -> [KeyID] { [] }
}

/// What `add host vm` decided: one VM per container named, in order.
struct AddHostVMDecision: Sendable {
    let vms: [VMDecision]
    let marks: AllocationMarks

    var json: JSONValue { marks.adding(to: ["vms": .array(vms.map(\.json))]) }
}

extension AddHostVMDecision {
    init(_ decision: FieldReader) throws {
        self.init(vms: try decision.array("vms", VMDecision.init), marks: try AllocationMarks(decision))
    }
}
