import Projections

extension NetworkTopology {
    /// The topology as `ip` commands a shell can run any number of times: each creation is
    /// guarded, every other command sets a state rather than toggling one. Nothing is taken
    /// down, so running it on a live container leaves its VMs connected.
    public var iprouteScript: String {
        var lines = ["#!/bin/sh", "# \(host): bridges and VLAN devices from the rocks ledger; safe to run again.", "set -e"]
        for port in ports {
            let mac = port.mac.map { " (the NIC with MAC \($0))" } ?? ""
            guard let bridgeName = port.bridge, let bridge = bridges.first(where: { $0.name == bridgeName }) else {
                lines.append("# \(port.name)\(mac) has no address: left alone")
                continue
            }
            lines.append("# \(port.name)\(mac) is a port of bridge \(bridge.name)")
            lines += Self.bridgeCommands(bridge, port: port.name, portMTU: port.mtu)
        }
        for device in vlanDevices {
            lines.append("# \(device.name) carries VLAN \(device.vlan) on \(device.parent)")
            lines.append("ip link show dev \(device.name) >/dev/null 2>&1 || ip link add link \(device.parent) name \(device.name) type vlan id \(device.vlan)")
            if let bridgeName = device.bridge, let bridge = bridges.first(where: { $0.name == bridgeName }) {
                lines += Self.bridgeCommands(bridge, port: device.name, portMTU: device.mtu)
            } else {
                lines.append("ip link set dev \(device.name)\(device.mtu.map { " mtu \($0)" } ?? "") arp off up")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func bridgeCommands(_ bridge: Bridge, port: String, portMTU: Int?) -> [String] {
        let options = bridge.options
        var lines = ["ip link show dev \(bridge.name) >/dev/null 2>&1 || ip link add name \(bridge.name) type bridge"]
        for setting in BridgeOptions.settingsInSafeOrder(stp: options.stp ? 1 : 0, delay: options.forwardDelay * 100) {
            lines.append("ip link set dev \(bridge.name) type bridge \(setting.name) \(setting.value)")
        }
        if let mtu = portMTU { lines.append("ip link set dev \(port) mtu \(mtu)") }
        lines.append("ip link set dev \(port) master \(bridge.name) up")
        lines.append("ip link set dev \(bridge.name)\(bridge.mtu.map { " mtu \($0)" } ?? "") up")
        if let address = bridge.address, let netmask = bridge.netmask {
            lines.append("ip addr replace \(address)/\(netmask.prefixLength) dev \(bridge.name)")
        }
        if options.txChecksumOff { lines.append("ethtool -K \(bridge.name) tx off") }
        return lines
    }
}
