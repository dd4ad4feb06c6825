/// The named LMDB databases the projection keeps its views in. Keys are text with a version
/// (see ``ViewStore``), values canonical JSON, so `mdb_dump -p` is readable and a rebuild is
/// byte-comparable.
public enum View: String, CaseIterable, Sendable {
    /// key id (hex) → the key, its role and its host.
    case keys
    /// host name → the host.
    case hosts
    /// `<host>/<id, 10 digits>` → key id (hex): a host's keys in Rocks' id order.
    case hostKeys = "host-keys"
    /// Ledger-wide settings from `rocks init`, and counters deciders continue from.
    case settings
    /// `<host>/<device>` → the interface.
    case interfaces
    /// MAC → `<host>/<device>`: each MAC belongs to one live interface.
    case macs
    /// IP → `<host>/<device>`: each IP belongs to one live interface.
    case ips
    /// `<vlan, 4 digits>/<host>/<device>` → true: who uses each VLAN id.
    case vlanUsers = "vlan-users"
    /// VM name → where it runs and its desired shape.
    case vms
    /// virtual frontend name → the virtual cluster.
    case clusters
    /// `<container>/<slice, 6 digits>` → VM name: the slices taken on each container.
    case containerSlices = "container-slices"
    /// `<host>/<attribute>` → value: host attributes (`libvirt_uri`, `vm_disk_pool`, …).
    case attributes
    /// `<sequence, 20 digits>/<index, 4 digits>` → an effect a record asks for, and its outcome.
    case effects
    /// `<sequence, 20 digits>` → what a removal frees once all its effects have succeeded.
    case removals
    /// VM name → its desired power state (`on` or `off`) and, once started, its console.
    case power
    /// VM name → the latest `record observation` of it: what it was seen doing, and what was wanted.
    case observations
    /// `<host>/<root>` → the network files last deployed there and the VLAN devices they made.
    case networkDeployments = "network-deployments"

    public static var names: [String] { allCases.map(\.rawValue) }
}
