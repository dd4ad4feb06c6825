import Ledger
import Signing

/// What a decider decided for one VM (`add host vm`, or one VM of `add cluster`): its name,
/// place and shape, its host's appliance and boot settings, and its NICs. The fold builds
/// the VM's host, VM, slice and interface rows from it.
struct VMDecision: Sendable {
    /// A NIC: `eth<position>`.
    struct NIC: Sendable {
        var mac: MACAddress
        var vlan: Int64?
        var ip: IPv4Address?
        var subnet: String?
    }

    var vm: VirtualMachine
    var membership: Membership
    /// The container's rack and rank, which the VM's host takes.
    var rack: Int64
    var rank: Int64
    var cpus: Int64
    var runAction: String
    var installAction: String
    var nics: [NIC]

    var name: String { vm.name }

    var json: JSONValue {
        var fields = vm.decidedFields
        fields["membership"] = .string(membership.rawValue)
        fields["rack"] = .integer(rack)
        fields["rank"] = .integer(rank)
        fields["cpus"] = .integer(cpus)
        fields["runaction"] = .string(runAction)
        fields["installaction"] = .string(installAction)
        fields["nics"] = .array(nics.map { nic in
            .object(JSONObject(omittingNilValues: [
                "mac": .string(nic.mac.description), "vlan": nic.vlan.map { .integer($0) }, "ip": nic.ip.map { .string($0.description) },
                "subnet": nic.subnet.map { .string($0) },
            ]))
        })
        return .object(fields)
    }
}

extension VMDecision {
    /// Read in the canonical order of the members, which the reader's lookups go fastest in.
    init(_ decision: FieldReader) throws {
        let vm = try VirtualMachine(decided: decision)
        let cpus = try decision.integer("cpus"), installAction = try decision.string("installaction")
        let membership = try decision.string("membership", as: "a membership", Membership.init(rawValue:))
        let nics = try decision.array("nics") { nic in
            let ip = try nic.optionalIP("ip"), mac = try nic.mac("mac"), subnet = try nic.optionalString("subnet")
            return NIC(mac: mac, vlan: try nic.optionalInteger("vlan"), ip: ip, subnet: subnet)
        }
        self.init(vm: vm, membership: membership, rack: try decision.integer("rack"), rank: try decision.integer("rank"), cpus: cpus,
                  runAction: try decision.string("runaction"), installAction: installAction, nics: nics)
    }
}

/// One VM's rows, built from its decision by the rows' codecs when the record is prepared
/// (so on a rebuild's reading thread), and written by the fold.
struct VMRows: Sendable {
    let name: String
    let cluster: String?
    let host: [UInt8]
    let vm: [UInt8]
    let slice: String
    let interfaces: [EncodedInterface]

    /// The rows of `decision`, entry `index` of record `sequence` in creation order.
    init(_ decision: VMDecision, sequence: UInt64, index: Int) {
        let name = decision.name
        let host = Host(name: name, membership: decision.membership.rawValue, appliance: decision.membership.appliance,
                        rack: decision.rack, rank: decision.rank, cpus: decision.cpus, runAction: decision.runAction,
                        installAction: decision.installAction, bootAction: "install", isVM: true, order: Host.order(sequence, index))
        self.name = name
        cluster = decision.vm.cluster
        self.host = host.row
        vm = decision.vm.row
        slice = Allocator.sliceKey(decision.vm.container, decision.vm.slice)
        interfaces = decision.nics.enumerated().map { position, nic in
            // eth0 carries the host's name, as does any NIC on a subnet (a virtual frontend's public one).
            let named = position == 0 || nic.subnet != nil
            return EncodedInterface(Interface(host: name, device: "eth\(position)", mac: nic.mac, ip: nic.ip, subnet: nic.subnet,
                                              name: named ? name : nil, vlan: nic.vlan))
        }
    }

    /// The VM's host, VM entry, slice on its container, and interfaces.
    func fold(into views: ViewStore, in txn: borrowing Transaction) throws {
        try views.put(.hosts, name, encoded: host, in: txn)
        try views.put(.vms, name, encoded: vm, in: txn)
        try views.put(.containerSlices, slice, .string(name), in: txn)
        let store = InterfaceStore(views: views)
        for interface in interfaces { try store.put(interface, in: txn) }
    }
}

extension VirtualMachine {
    /// The VM's shape as a decider decides it (`add host vm`, `add cluster`, `set host vm`):
    /// the decision's form, read and written here; the `vms` row is the VM's own.
    var decidedFields: JSONObject {
        JSONObject(omittingNilValues: [
            "name": .string(name), "container": .string(container), "slice": .integer(slice), "memory": .integer(memory),
            "uuid": .string(uuid), "cluster": cluster.map { .string($0) },
            "disks": .array(disks.map { .object($0.decided) }),
        ])
    }

    init(decided decision: FieldReader) throws {
        // Canonical order of the members: cluster, container, disks, memory, name, slice, uuid.
        let cluster = try decision.optionalString("cluster"), container = try decision.string("container")
        let disks = try decision.array("disks", VMDisk.init(decided:)), memory = try decision.integer("memory")
        self.init(name: try decision.string("name"), container: container, slice: try decision.integer("slice"), memory: memory,
                  uuid: try decision.string("uuid"), disks: disks, cluster: cluster)
    }
}

extension VMDisk {
    /// A disk as a decider decides it: pool, volume, size and format.
    var decided: JSONObject {
        ["pool": .string(pool), "volume": .string(volume), "size": .integer(sizeGB), "format": .string(format)]
    }

    init(decided decision: FieldReader) throws {
        let format = try decision.string("format"), pool = try decision.string("pool"), size = try decision.integer("size")
        self.init(pool: pool, volume: try decision.string("volume"), sizeGB: size, format: format)
    }
}
