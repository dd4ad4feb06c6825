import Signing

/// A VM's disk: a volume in a libvirt storage pool on its container.
public struct VMDisk: Sendable, Equatable {
    public var pool: String
    public var volume: String
    /// Decimal gigabytes, as Rocks sizes disks (36 GB = 36 × 10^9 bytes).
    public var sizeGB: Int64
    public var device: String
    public var bus: String
    public var format: String

    /// The disk as a VM's row holds it.
    func write(to row: inout CanonicalObjectWriter) {
        row.member("bus", bus)
        row.member("device", device)
        row.member("format", format)
        row.member("pool", pool)
        row.member("size", sizeGB)
        row.member("volume", volume)
    }

    init(pool: String, volume: String, sizeGB: Int64, device: String = "vda", bus: String = "virtio", format: String) {
        self.pool = pool
        self.volume = volume
        self.sizeGB = sizeGB
        self.device = device
        self.bus = bus
        self.format = format
    }

    /// The disk as a VM's row (or an effect's) holds it.
    init(row: FieldReader) throws {
        let bus = try row.string("bus"), device = try row.string("device"), format = try row.string("format")
        let pool = try row.string("pool"), size = try row.integer("size"), volume = try row.string("volume")
        self.init(pool: pool, volume: volume, sizeGB: size, device: device, bus: bus, format: format)
    }
}

/// What makes a host a VM: where it runs and its desired shape.
public struct VirtualMachine: Sendable, Equatable {
    public var name: String
    public var container: String
    public var slice: Int64
    /// MiB.
    public var memory: Int64
    public var uuid: String
    public var virtType: String
    public var disks: [VMDisk]
    /// The virtual frontend of the cluster the VM belongs to, if any.
    public var cluster: String?

    /// The `vms` row.
    var row: [UInt8] {
        var row = CanonicalObjectWriter()
        row.member("cluster", cluster)
        row.member("container", container)
        row.member("disks", objects: disks.count) { disks[$0].write(to: &$1) }
        row.member("memory", memory)
        row.member("name", name)
        row.member("slice", slice)
        row.member("uuid", uuid)
        row.member("virt-type", virtType)
        return row.finish()
    }

    init(name: String, container: String, slice: Int64, memory: Int64, uuid: String, virtType: String = "hvm", disks: [VMDisk], cluster: String?) {
        self.name = name
        self.container = container
        self.slice = slice
        self.memory = memory
        self.uuid = uuid
        self.virtType = virtType
        self.disks = disks
        self.cluster = cluster
    }

    init(row: FieldReader) throws {
        // Read in the row's order, so each field is found a step past the one before.
        let cluster = try row.optionalString("cluster"), container = try row.string("container")
        let disks = try row.array("disks", VMDisk.init(row:)), memory = try row.integer("memory"), name = try row.string("name")
        let slice = try row.integer("slice"), uuid = try row.string("uuid"), virtType = try row.string("virt-type")
        self.init(name: name, container: container, slice: slice, memory: memory, uuid: uuid, virtType: virtType, disks: disks, cluster: cluster)
    }
}

/// A virtual cluster: a virtual frontend, its computes, and the VLAN that is their private network.
public struct VirtualCluster: Sendable, Equatable {
    public var frontend: String
    public var vlan: Int64
    public var publicIP: IPv4Address
    public var computes: [String]

    /// The `clusters` row.
    var row: [UInt8] {
        var row = CanonicalObjectWriter()
        row.member("computes", strings: computes)
        row.member("frontend", frontend)
        row.member("public-ip", publicIP.description)
        row.member("vlan", vlan)
        return row.finish()
    }

    init(frontend: String, vlan: Int64, publicIP: IPv4Address, computes: [String]) {
        self.frontend = frontend
        self.vlan = vlan
        self.publicIP = publicIP
        self.computes = computes
    }

    init(row: FieldReader) throws {
        let computes = try row.strings("computes"), frontend = try row.string("frontend")
        let publicIP = try row.ip("public-ip"), vlan = try row.integer("vlan")
        self.init(frontend: frontend, vlan: vlan, publicIP: publicIP, computes: computes)
    }
}
