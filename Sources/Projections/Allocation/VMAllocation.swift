import Ledger
import Signing

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
