import Projections

extension DomainDefinition {
    /// What one VM's container must provide for it: the container's topology decides which
    /// bridge or VLAN device each NIC uses (reference §7.3), with the names `sync host
    /// network` gives those links.
    public init(vm: VirtualMachine, host: Host, interfaces: [Interface], containerTopology: NetworkTopology,
                type: String) throws(ExecutorError)
    {
        var nics: [NIC] = []
        for interface in interfaces {
            guard let mac = interface.mac else { continue }
            nics.append(try Self.nic(for: interface, mac: mac, vm: vm, on: containerTopology))
        }
        guard !nics.isEmpty else { throw ExecutorError("\(vm.name) has no interface with a MAC address") }
        guard !vm.disks.isEmpty else { throw ExecutorError("\(vm.name) has no disk") }
        self.init(name: vm.name, uuid: vm.uuid, type: type, memoryMiB: vm.memory, vcpus: host.cpus,
                  networkBootFirst: host.bootAction == "install", disks: vm.disks, nics: nics)
    }

    private static func nic(for interface: Interface, mac: MACAddress, vm: VirtualMachine,
                            on topology: NetworkTopology) throws(ExecutorError) -> NIC
    {
        if let vlan = interface.vlan, vlan > 0 {
            let carriers = topology.vlanDevices.filter { $0.vlan == vlan }
            guard carriers.count == 1, let carrier = carriers.first else {
                // Rocks meant to say this, but a typo (`slef.abort`) raised a NameError instead.
                throw ExecutorError(carriers.isEmpty ? "there is no interface defined on \(topology.host) with vlan \(vlan) (for \(vm.name) \(interface.device))"
                                                     : "there are too many interfaces on \(topology.host) with vlan \(vlan)")
            }
            if let bridge = carrier.bridge { return .bridge(name: bridge, mac: mac) }
            return .direct(device: carrier.name, mac: mac)
        }
        let subnet = interface.subnet ?? "private"
        guard let bridge = topology.bridges.first(where: { $0.subnet == subnet }) else {
            throw ExecutorError("\(topology.host) has no bridged interface on subnet \(subnet) for \(vm.name) \(interface.device)")
        }
        return .bridge(name: bridge.name, mac: mac)
    }
}
