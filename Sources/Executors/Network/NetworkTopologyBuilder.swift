import Foundation
import Projections

extension NetworkTopology {
    /// The default name of the device that carries VLAN `{vlan}` on the port of `{dev}`:
    /// a VLAN sub-interface of the renamed physical NIC, as Rocks named it (`peth0.2`).
    public static let defaultVLANDeviceTemplate = "p{dev}.{vlan}"
    public static let vlanDeviceAttribute = HostAttributes.vlanDevice

    /// Derives the topology from the views. `interfaces` are the host's rows, ordered by device.
    public init(host: Projections.Host, interfaces: [Interface], settings: FrontendSettings, attributes: [String: String]) throws(NetworkError) {
        guard host.carriesBridges else { throw NetworkError("\(host.name) is not a VM container or physical frontend") }
        let options: BridgeOptions
        do { options = try BridgeOptions(attributes: attributes) } catch { throw NetworkError(error.message) }
        let template = attributes[Self.vlanDeviceAttribute] ?? Self.defaultVLANDeviceTemplate
        let reported = interfaces.filter { !($0.options ?? "").contains("noreport") }
        var ports: [Port] = []
        var bridges: [Bridge] = []
        var vlanDevices: [VLANDevice] = []
        var blanked: [String] = []

        for row in reported where !row.isVLAN {
            let netmask = row.subnet.flatMap(settings.subnet(named:))?.netmask
            let mtu = row.subnet.flatMap(settings.mtu(ofSubnet:))
            let dhcp = (row.options ?? "").hasPrefix("dhcp")
            let bridged = (row.ip != nil && netmask != nil) || dhcp
            let onBoot = row.subnet != nil
            ports.append(Port(name: "p" + row.device, mac: row.mac, bridge: bridged ? row.device : nil, mtu: mtu,
                              onBoot: onBoot, module: row.module, device: row.device))
            if bridged {
                bridges.append(Bridge(name: row.device, subnet: row.subnet, address: dhcp ? nil : row.ip, netmask: dhcp ? nil : netmask, dhcp: dhcp,
                                      mtu: mtu, onBoot: onBoot, options: options))
            } else {
                blanked.append(row.device)
            }
        }

        for row in reported where row.isVLAN {
            guard let vlan = row.vlan, vlan > 0 else { continue }
            guard let subnet = row.subnet else { throw NetworkError("\(host.name) \(row.device) carries VLAN \(vlan) but has no subnet") }
            // Rocks' getBridgeDevName: the host's own NIC with an address on that subnet.
            guard let carrier = ports.first(where: { port in
                port.bridge != nil && reported.contains { $0.device == port.device && $0.subnet == subnet }
            }) else {
                throw NetworkError("\(host.name) has no bridged interface on subnet \(subnet) to carry VLAN \(vlan)")
            }
            let name = template.replacingOccurrences(of: "{dev}", with: carrier.device).replacingOccurrences(of: "{vlan}", with: String(vlan))
            guard HostAttributes.isValidLinkName(name) else {
                throw NetworkError("\(Self.vlanDeviceAttribute) '\(template)' gives '\(name)', which is not a network device name (1–15 bytes, no '/' or spaces)")
            }
            guard !vlanDevices.contains(where: { $0.name == name }), !ports.contains(where: { $0.name == name }) else {
                throw NetworkError("\(Self.vlanDeviceAttribute) '\(template)' gives '\(name)' to two devices on \(host.name)")
            }
            let mtu = settings.mtu(ofSubnet: subnet)
            var bridge: String?
            if let ip = row.ip, let netmask = settings.subnet(named: subnet)?.netmask {
                // The host has an address on the VLAN: bridge it, as Rocks did for `eth0.5`.
                let bridgeName = "\(carrier.device).\(vlan)"
                bridges.append(Bridge(name: bridgeName, subnet: subnet, address: ip, netmask: netmask, dhcp: false, mtu: mtu, onBoot: true, options: options))
                bridge = bridgeName
            }
            vlanDevices.append(VLANDevice(name: name, parent: carrier.name, vlan: vlan, bridge: bridge, mtu: mtu))
        }
        self.init(host: host.name, ports: ports, bridges: bridges, vlanDevices: vlanDevices, blankedDevices: blanked)
    }
}

extension Interface {
    /// A row for a VLAN the host carries (`vlan2`, or `eth0.5`), rather than a NIC.
    var isVLAN: Bool { (vlan ?? 0) > 0 }
}
