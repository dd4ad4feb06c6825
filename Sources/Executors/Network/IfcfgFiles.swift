import Projections

/// A file `sync host network` writes on a host, and `report host interface` prints.
public struct NetworkFile: Sendable, Equatable {
    /// Where the host reads it.
    public let path: String
    public let contents: String
}

extension NetworkTopology {
    static let scriptsDirectory = "/etc/sysconfig/network-scripts"

    /// The RHEL files that build the topology at boot (reference §8), plus what Rocks
    /// lacked: a file per VLAN device, so VLANs survive a reboot, and the bridge settings.
    public var ifcfgFiles: [NetworkFile] {
        var files: [NetworkFile] = []
        for port in ports {
            if let module = port.module {
                files.append(NetworkFile(path: "/etc/modprobe.d/\(port.device).conf", contents: "alias \(port.name) \(module)\n"))
            }
            var lines = ["DEVICE=\(port.name)"]
            if let mac = port.mac { lines.append("HWADDR=\(mac)") }
            if let bridge = port.bridge { lines.append("BRIDGE=\"\(bridge)\"") }
            lines += ["ONBOOT=\(port.onBoot ? "yes" : "no")", "BOOTPROTO=none"]
            if let mtu = port.mtu { lines.append("MTU=\(mtu)") }
            files.append(Self.ifcfg(port.name, lines))
            if let bridge = bridges.first(where: { $0.name == port.bridge }) {
                files.append(Self.ifcfg(bridge.name, Self.bridgeLines(bridge)))
            }
        }
        for device in blankedDevices {
            files.append(NetworkFile(path: "\(Self.scriptsDirectory)/ifcfg-\(device)", contents: ""))
        }
        for device in vlanDevices {
            var lines = ["DEVICE=\(device.name)", "PHYSDEV=\(device.parent)", "VLAN=yes", "VLAN_ID=\(device.vlan)"]
            if let bridge = device.bridge { lines.append("BRIDGE=\"\(bridge)\"") }
            lines += ["ONBOOT=yes", "BOOTPROTO=none"]
            // Only the VMs' macvtap devices speak on the VLAN; the host has no address there.
            if device.bridge == nil { lines.append("ARP=no") }
            if let mtu = device.mtu { lines.append("MTU=\(mtu)") }
            files.append(Self.ifcfg(device.name, lines))
            if let bridge = bridges.first(where: { $0.name == device.bridge }) {
                files.append(Self.ifcfg(bridge.name, Self.bridgeLines(bridge)))
            }
        }
        return files
    }

    private static func bridgeLines(_ bridge: Bridge) -> [String] {
        var lines = ["DEVICE=\(bridge.name)", "TYPE=Bridge"]
        if let address = bridge.address, let netmask = bridge.netmask { lines += ["IPADDR=\(address)", "NETMASK=\(netmask)"] }
        lines += ["BOOTPROTO=\(bridge.dhcp ? "dhcp" : "none")", "ONBOOT=\(bridge.onBoot ? "yes" : "no")"]
        if let mtu = bridge.mtu { lines.append("MTU=\(mtu)") }
        lines += ["STP=\(bridge.options.stp ? "on" : "off")", "DELAY=\(bridge.options.forwardDelay)"]
        if bridge.options.txChecksumOff { lines.append("ETHTOOL_OPTS=\"-K ${DEVICE} tx off\"") }
        return lines
    }

    private static func ifcfg(_ device: String, _ lines: [String]) -> NetworkFile {
        NetworkFile(path: "\(scriptsDirectory)/ifcfg-\(device)", contents: lines.joined(separator: "\n") + "\n")
    }

    /// Rocks' `<file name="…">` blocks, as `report host interface` prints them.
    public static func fileBlocks(_ files: [NetworkFile]) -> String {
        files.map { "<file name=\"\($0.path)\">\n\($0.contents)</file>\n" }.joined()
    }
}
