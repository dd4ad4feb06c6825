import Projections

/// Makes the kernel's links match a topology with iproute2: creates what is missing, fixes
/// what differs, and leaves what is right untouched. It never takes a link down or removes
/// an address, so a live container's VMs stay connected; the only removals are VLAN devices
/// an earlier sync made for a cluster that is gone.
public struct NetworkApplier: Sendable {
    let ip: SystemCommand
    let ethtool: SystemCommand

    public init() {
        ip = .locate("ip")
        ethtool = .locate("ethtool")
    }

    /// The commands that would bring the links in line with `topology` and delete
    /// `staleLinks`. Everything that can be checked is checked here, before anything runs.
    public func prepare(_ topology: NetworkTopology, removing staleLinks: [String]) throws(NetworkError) -> PreparedChanges {
        PreparedChanges(steps: try plan(topology, removing: staleLinks, state: LinkState.read(with: ip)))
    }

    public struct PreparedChanges: Sendable {
        let steps: [Step]
        /// The commands, as a shell would show them.
        public var commands: [String] { steps.map(\.description) }

        /// Runs the commands in order; the first failure stops the rest.
        public func run() throws(NetworkError) {
            for step in steps { try step.tool.run(step.arguments) }
        }
    }

    struct Step: Sendable {
        let tool: SystemCommand
        let arguments: [String]
        var description: String { ([tool.name] + arguments).joined(separator: " ") }
    }

    func plan(_ topology: NetworkTopology, removing staleLinks: [String], state: [String: LinkState]) throws(NetworkError) -> [Step] {
        var steps: [Step] = []
        func ip(_ arguments: String...) { steps.append(Step(tool: self.ip, arguments: arguments)) }

        let wanted = Set(topology.managedLinks)
        for name in staleLinks where !wanted.contains(name) && state[name] != nil { ip("link", "del", "dev", name) }

        for port in topology.ports {
            guard let bridgeName = port.bridge, let bridge = topology.bridges.first(where: { $0.name == bridgeName }) else { continue }
            guard let current = state[port.name] else {
                let nic = port.mac.map { " (the NIC with MAC \($0))" } ?? ""
                throw NetworkError("\(topology.host) has no link named \(port.name)\(nic): rename the NIC, or boot with the written files")
            }
            try planBridge(bridge, port: port.name, portMTU: port.mtu, portState: current, state: state, &steps)
        }
        for device in topology.vlanDevices {
            let current = state[device.name]
            if current == nil {
                guard state[device.parent] != nil else {
                    throw NetworkError("\(topology.host) has no link named \(device.parent) to carry \(device.name)")
                }
                ip("link", "add", "link", device.parent, "name", device.name, "type", "vlan", "id", String(device.vlan))
            }
            if let bridgeName = device.bridge, let bridge = topology.bridges.first(where: { $0.name == bridgeName }) {
                try planBridge(bridge, port: device.name, portMTU: device.mtu, portState: current, state: state, &steps)
                continue
            }
            if let mtu = device.mtu, current?.mtu != mtu { ip("link", "set", "dev", device.name, "mtu", String(mtu)) }
            if current?.arpOff != true { ip("link", "set", "dev", device.name, "arp", "off") }
            if current?.isUp != true { ip("link", "set", "dev", device.name, "up") }
        }
        return steps
    }

    private func planBridge(_ bridge: NetworkTopology.Bridge, port: String, portMTU: Int?, portState: LinkState?,
                            state: [String: LinkState], _ steps: inout [Step]) throws(NetworkError)
    {
        func ip(_ arguments: String...) { steps.append(Step(tool: self.ip, arguments: arguments)) }
        let current = state[bridge.name]
        let stp = bridge.options.stp ? 1 : 0
        let delay = bridge.options.forwardDelay * 100
        if let current {
            guard current.kind == "bridge" else {
                throw NetworkError("\(bridge.name) exists but is not a bridge (is it the NIC itself? rename it p\(bridge.name))")
            }
        } else {
            ip("link", "add", "name", bridge.name, "type", "bridge")
        }
        for setting in BridgeOptions.settingsInSafeOrder(stp: stp, delay: delay)
            where current == nil || (setting.name == "stp_state" ? current?.stp : current?.forwardDelay) != setting.value
        {
            ip("link", "set", "dev", bridge.name, "type", "bridge", setting.name, String(setting.value))
        }
        if let mtu = portMTU, portState?.mtu != mtu { ip("link", "set", "dev", port, "mtu", String(mtu)) }
        if portState?.master != bridge.name { ip("link", "set", "dev", port, "master", bridge.name) }
        if portState?.isUp != true { ip("link", "set", "dev", port, "up") }
        if let mtu = bridge.mtu, current?.mtu != mtu { ip("link", "set", "dev", bridge.name, "mtu", String(mtu)) }
        if current?.isUp != true { ip("link", "set", "dev", bridge.name, "up") }
        if let address = bridge.address, let netmask = bridge.netmask {
            let cidr = "\(address)/\(netmask.prefixLength)"
            if current?.addresses.contains(cidr) != true { ip("addr", "add", cidr, "dev", bridge.name) }
        }
        if bridge.options.txChecksumOff {
            let needed = current == nil ? true : try transmitChecksumIsOn(bridge.name)
            if needed { steps.append(Step(tool: ethtool, arguments: ["-K", bridge.name, "tx", "off"])) }
        }
    }

    private func transmitChecksumIsOn(_ link: String) throws(NetworkError) -> Bool {
        try ethtool.run(["-k", link]).split(separator: "\n").contains { $0.hasPrefix("tx-checksumming: on") }
    }
}
