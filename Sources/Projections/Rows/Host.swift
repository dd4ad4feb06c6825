import Signing

/// A host the frontend manages: the physical frontend, VM containers, compute nodes, VMs.
public struct Host: Sendable, Equatable {
    public var name: String
    /// Rocks' membership, e.g. `Frontend`, `VM Container`, `Hosted VM`.
    public var membership: String
    /// The appliance name, e.g. `frontend`, `vm-container`, `hosted-vm`.
    public var appliance: String
    public var rack: Int64
    public var rank: Int64
    public var cpus: Int64
    /// What the host boots into normally, and when installing (Rocks' `runaction` and
    /// `installaction`), and which of the two the next boot uses (`install` or `os`).
    public var runAction: String
    public var installAction: String
    public var bootAction: String
    /// Whether the host is a virtual machine (it then has an entry in the `vms` view).
    public var isVM: Bool
    /// Where the host was created in the log (sequence × 100,000 + index in the decision):
    /// Rocks lists hosts in the order they were added.
    public var order: Int64
    /// The record that removed the host, while the effects of that removal (stopping and
    /// undefining a VM, deleting its disk) are pending. The host's name, addresses and MACs
    /// stay reserved until they succeed; lists no longer show it.
    public var removal: Int64?

    public init(name: String, membership: String, appliance: String, rack: Int64, rank: Int64, cpus: Int64 = 1,
                runAction: String = "os", installAction: String = "install", bootAction: String = "os", isVM: Bool = false, order: Int64)
    {
        self.name = name
        self.membership = membership
        self.appliance = appliance
        self.rack = rack
        self.rank = rank
        self.cpus = cpus
        self.runAction = runAction
        self.installAction = installAction
        self.bootAction = bootAction
        self.isVM = isVM
        self.order = order
    }

    /// Whether the host's NICs are bridged for VMs (reference §8): VM containers and the
    /// physical frontend. A virtual frontend's network is its guest's business.
    public var carriesBridges: Bool {
        !isVM && (appliance == Membership.vmContainer.appliance || appliance == Membership.frontend.appliance)
    }

    /// The position of entry `index` of record `sequence` in creation order.
    static func order(_ sequence: UInt64, _ index: Int) -> Int64 { Int64(sequence) * 100_000 + Int64(index) }

    /// The `hosts` row.
    var row: [UInt8] {
        var row = CanonicalObjectWriter()
        row.member("appliance", appliance)
        row.member("boot", bootAction)
        row.member("cpus", cpus)
        row.member("installaction", installAction)
        row.member("membership", membership)
        row.member("name", name)
        row.member("order", order)
        row.member("rack", rack)
        row.member("rank", rank)
        row.member("removal", removal)
        row.member("runaction", runAction)
        row.member("vm", isVM)
        return row.finish()
    }

    init(row: FieldReader) throws {
        // Read in the row's order, so each field is found a step past the one before.
        let appliance = try row.string("appliance"), bootAction = try row.string("boot"), cpus = try row.integer("cpus")
        let installAction = try row.string("installaction"), membership = try row.string("membership")
        let name = try row.string("name"), order = try row.integer("order"), rack = try row.integer("rack")
        let rank = try row.integer("rank"), removal = try row.optionalInteger("removal")
        let runAction = try row.string("runaction"), isVM = try row.bool("vm")
        self.init(name: name, membership: membership, appliance: appliance, rack: rack, rank: rank, cpus: cpus,
                  runAction: runAction, installAction: installAction, bootAction: bootAction, isVM: isVM, order: order)
        self.removal = removal
    }
}
