import Projections

/// The links a VM container or the physical frontend needs so its VMs reach their networks
/// (reference §7.3, §8): each NIC renamed `p<dev>` and enslaved to a bridge `<dev>` that
/// carries the host's address, and one VLAN device per cluster VLAN the host carries.
public struct NetworkTopology: Sendable, Equatable {
    /// A physical NIC, renamed `p<dev>` so the bridge can take its name.
    public struct Port: Sendable, Equatable {
        public let name: String
        public let mac: MACAddress?
        /// The bridge it is enslaved to; nil for a NIC with no address (Rocks leaves it alone).
        public let bridge: String?
        public let mtu: Int?
        public let onBoot: Bool
        public let module: String?
        /// The Rocks device name (`eth0`) the port stands behind.
        public let device: String
    }

    /// A bridge that carries the host's address on one network.
    public struct Bridge: Sendable, Equatable {
        public let name: String
        /// The network it carries: VLAN-0 VM NICs on that network join this bridge.
        public let subnet: String?
        public let address: IPv4Address?
        public let netmask: IPv4Address?
        public let dhcp: Bool
        public let mtu: Int?
        public let onBoot: Bool
        public let options: BridgeOptions
    }

    /// A VLAN device on a port: macvtap parent for the cluster's VMs, or a bridge port when
    /// the host itself has an address on that VLAN.
    public struct VLANDevice: Sendable, Equatable {
        public let name: String
        public let parent: String
        public let vlan: Int64
        public let bridge: String?
        public let mtu: Int?
    }

    public let host: String
    public let ports: [Port]
    public let bridges: [Bridge]
    public let vlanDevices: [VLANDevice]
    /// Devices Rocks wrote an empty `ifcfg-<dev>` for: NICs without an address, whose
    /// installer-written file must not bring up a conflicting configuration.
    public let blankedDevices: [String]

    /// The links `sync host network` manages and may remove when a cluster goes.
    public var managedLinks: [String] { vlanDevices.map(\.name) }
}

extension BridgeOptions {
    /// `stp_state` and `forward_delay` (hundredths of a second), each its own `ip link set`,
    /// in the order the kernel accepts: it checks the delay against the STP state in force,
    /// so the delay goes after STP is turned off and before it is turned on.
    static func settingsInSafeOrder(stp: Int, delay: Int) -> [(name: String, value: Int)] {
        let settings = [("stp_state", stp), ("forward_delay", delay)]
        return stp == 0 ? settings : settings.reversed()
    }
}
