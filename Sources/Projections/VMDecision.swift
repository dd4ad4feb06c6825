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

    init(decided decision: DecisionReader) throws {
        self.init(name: try decision.string("name"), container: try decision.string("container"), slice: try decision.integer("slice"),
                  memory: try decision.integer("memory"), uuid: try decision.string("uuid"),
                  disks: try decision.array("disks", VMDisk.init(decided:)),
                  cluster: try decision.optionalString("cluster"))
    }
}

extension VMDisk {
    /// A disk as a decider decides it: pool, volume, size and format.
    var decided: JSONObject {
        ["pool": .string(pool), "volume": .string(volume), "size": .integer(sizeGB), "format": .string(format)]
    }

    init(decided decision: DecisionReader) throws {
        self.init(pool: try decision.string("pool"), volume: try decision.string("volume"), sizeGB: try decision.integer("size"),
                  format: try decision.string("format"))
    }
}

/// What an operator asked for one VM (`add host vm`, or one VM of `add cluster`).
struct VMRequest {
    var container: Host
    var membership: Membership
    var name: String?
    var slice: Int64?
    var memory: Int64 = 1024
    var cpus: Int64 = 1
    var diskGB: Int64 = 36
    var macCount = 1
    /// VLAN per NIC, by position; nil means none.
    var vlans: [Int64?] = []
    var mac: MACAddress?
    /// MACs pinned per NIC (`macs=`, as `rocks dump` writes); the rest are allocated.
    var macs: [MACAddress] = []
    var ip: IPv4Address?
    var cluster: String?
    /// A pinned domain UUID (`uuid=`, as `rocks dump` writes); allocated when nil.
    var uuid: String?
    /// Boot settings: Rocks sets these per kind of VM (reference §4.1, §4.2).
    var runAction = "os"
    var installAction = "install headless"
}

extension Allocator {
    /// Decides one VM: name and slice, MACs, IP, UUID, disk, in that order, as Rocks does.
    mutating func allocate(_ request: VMRequest, in txn: borrowing Transaction) throws -> VMDecision {
        let container = request.container
        let name: String
        let slice: Int64
        if let given = request.name {
            try claim(name: given, in: txn)
            name = given
            if let chosen = request.slice {
                try claim(slice: chosen, on: container, in: txn)
                slice = chosen
            } else {
                slice = try nextSlice(on: container, in: txn)
            }
        } else if let chosen = request.slice {
            try claim(slice: chosen, on: container, in: txn)
            name = "\(request.membership.appliance)-\(container.rack)-\(container.rank)-\(chosen)"
            try claim(name: name, in: txn)
            slice = chosen
        } else {
            (name, slice) = try vmName(base: request.membership.appliance, on: container, in: txn)
        }

        var macs: [MACAddress] = []
        for position in 0..<max(request.macCount, request.macs.count) {
            if position < request.macs.count {
                try claim(request.macs[position], in: txn)
                macs.append(request.macs[position])
            } else if position == 0, let given = request.mac {
                try claim(given, in: txn)
                macs.append(given)
            } else {
                macs.append(try mac(in: txn))
            }
        }
        // Hosted VMs live on their cluster's VLAN, where the virtual frontend serves DHCP:
        // the physical side gives them no IP and no subnet.
        var ip: IPv4Address?
        if request.membership != .hostedVM {
            if let given = request.ip {
                guard settings.privateSubnet.contains(given) else {
                    throw DomainError("IP address \(given) is not in the private network \(settings.privateSubnet.network)/\(settings.privateSubnet.netmask)")
                }
                try claim(given, in: txn)
                ip = given
            } else {
                ip = try privateIP(in: txn)
            }
        }
        var nics: [VMDecision.NIC] = []
        for (position, mac) in macs.enumerated() {
            let vlan = position < request.vlans.count ? request.vlans[position] : nil
            nics.append(VMDecision.NIC(mac: mac, vlan: vlan, ip: position == 0 ? ip : nil, subnet: position == 0 && ip != nil ? "private" : nil))
        }
        let disk = VMDisk(pool: try attribute(DiskDefaults.poolAttribute, of: container, in: txn) ?? DiskDefaults.pool,
                          volume: name + ".vda", sizeGB: request.diskGB,
                          format: try attribute(DiskDefaults.formatAttribute, of: container, in: txn) ?? DiskDefaults.format)
        let vm = VirtualMachine(name: name, container: container.name, slice: slice, memory: request.memory, uuid: request.uuid ?? uuid(),
                                disks: [disk], cluster: request.cluster)
        return VMDecision(vm: vm, membership: request.membership, rack: container.rack, rank: container.rank, cpus: request.cpus,
                          runAction: request.runAction, installAction: request.installAction, nics: nics)
    }

    private func attribute(_ name: String, of host: Host, in txn: borrowing Transaction) throws -> String? {
        try views.get(.attributes, host.name + "/" + name, in: txn)?.stringValue
    }
}

/// Where a VM's disk goes when the container's attributes do not say: libvirt's `default`
/// pool, a raw sparse volume named `<vm>.vda` (Rocks' file name).
public enum DiskDefaults {
    public static let poolAttribute = "vm_disk_pool"
    public static let formatAttribute = "vm_disk_format"
    public static let pool = "default"
    public static let format = "raw"
}

extension VMDecision {
    init(_ decision: DecisionReader) throws {
        guard let membership = Membership(rawValue: try decision.string("membership")) else {
            throw decision.malformed("membership", "is not a membership")
        }
        self.init(vm: try VirtualMachine(decided: decision), membership: membership, rack: try decision.integer("rack"),
                  rank: try decision.integer("rank"), cpus: try decision.integer("cpus"), runAction: try decision.string("runaction"),
                  installAction: try decision.string("installaction"),
                  nics: try decision.array("nics") { nic in
                      NIC(mac: try nic.mac("mac"), vlan: try nic.optionalInteger("vlan"), ip: try nic.optionalIP("ip"),
                          subnet: try nic.optionalString("subnet"))
                  })
    }
}
