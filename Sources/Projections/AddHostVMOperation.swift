import Ledger
import Signing

/// `rocks add host vm <container...> membership= [name= mem= cpus= disksize= num-macs= vlan= mac= ip= slice=]`:
/// one VM on each container named, printing `added VM <name> on physical node <container>`.
struct AddHostVMOperation: PreparedOperation {
    let op = "add host vm"
    let allowedRoles: Set<KeyEntry.Role> = [.admin]

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
        template.slice = try request.integer("slice", message: "slice must be an integer")
        template.memory = try request.positive("mem", default: 1024, message: "\"mem\" parameter must be an integer")
        template.cpus = try request.positive("cpus", default: 1, message: "\"cpus\" parameter must be an integer")
        template.diskGB = try request.positive("disksize", default: 36, message: "\"disksize\" values must be integers")
        template.macCount = Int(try request.positive("num-macs", default: 1, message: "the num_macs parameter must be an integer"))
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
        var allocations: [JSONValue] = []
        for (index, container) in containers.enumerated() {
            guard !container.isVM else { throw DomainError("host \(container.name) is a VM; a VM cannot hold VMs") }
            var vm = template
            vm.container = container
            allocations.append(try allocator.allocate(vm, index: index, in: txn).json)
        }
        return .withAllocationMarks(["vms": .array(allocations)], allocator)
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

    /// Folding one `add host vm`: its rows, read from the decision's bytes.
    func prepareFold(_ record: Record) throws -> PreparedWrites {
        try record.withDecision { stored in
            guard let vms = stored["vms"]?.elementSequence else { throw malformed(record) }
            var writes = PreparedWrites(reservingFor: stored.raw.count)
            for vm in vms { try writes.putVM(stored: vm, joiningCluster: true) }
            writes.putAllocationMarks(stored: stored)
            return writes
        }
    }

    func fold(_ writes: PreparedWrites, record: Record, views: ViewStore, in txn: borrowing Transaction) throws {
        try writes.apply(views: views, in: txn)
    }
}
