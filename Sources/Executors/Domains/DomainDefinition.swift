import Foundation
import Projections
import Signing

/// Everything libvirt needs to run one VM, derived from the views, and the persistent domain
/// XML it becomes (reference §7.1, with its defects fixed: the ledger's UUID, memory in MiB,
/// VNC only on the container's loopback, a serial console, disks as pool volumes).
public struct DomainDefinition: Sendable, Equatable {
    public enum NIC: Sendable, Equatable {
        /// A tap on a bridge (VLAN 0, or a VLAN the container has an address on).
        case bridge(name: String, mac: MACAddress)
        /// macvtap in bridge mode on the device that carries a cluster VLAN.
        case direct(device: String, mac: MACAddress)
    }

    public let name: String
    public let uuid: String
    /// `kvm` where the container offers it, else `qemu`.
    public let type: String
    public let memoryMiB: Int64
    public let vcpus: Int64
    /// `rocks set host boot <vm> action=install`: network first; otherwise the disk first.
    public let networkBootFirst: Bool
    public let disks: [VMDisk]
    public let nics: [NIC]

    /// The XML namespace of the digest `start` compares to decide whether to redefine.
    public static let metadataNamespace = "https://rocksclusters.org/ns/ledger/domain/1"

    /// The domain XML without the metadata: what the digest covers.
    var body: [String] {
        var lines = [
            "  <name>\(name)</name>",
            "  <uuid>\(uuid)</uuid>",
            "  <memory unit='MiB'>\(memoryMiB)</memory>",
            "  <vcpu>\(vcpus)</vcpu>",
            "  <os>",
            "    <type arch='x86_64'>hvm</type>",
        ]
        lines += (networkBootFirst ? ["network", "hd"] : ["hd", "network"]).map { "    <boot dev='\($0)'/>" }
        lines += [
            "  </os>",
            "  <features>",
            "    <acpi/>",
            "    <apic/>",
            "  </features>",
            "  <on_poweroff>destroy</on_poweroff>",
            "  <on_reboot>restart</on_reboot>",
            "  <on_crash>destroy</on_crash>",
            "  <devices>",
        ]
        for disk in disks {
            lines += [
                "    <disk type='volume' device='disk'>",
                "      <driver name='qemu' type='\(disk.format)'/>",
                "      <source pool='\(Self.escaped(disk.pool))' volume='\(Self.escaped(disk.volume))'/>",
                "      <target dev='\(disk.device)' bus='\(disk.bus)'/>",
                "    </disk>",
            ]
        }
        for nic in nics {
            switch nic {
            case .bridge(let bridge, let mac):
                lines += ["    <interface type='bridge'>", "      <mac address='\(mac)'/>", "      <source bridge='\(bridge)'/>"]
            case .direct(let device, let mac):
                lines += ["    <interface type='direct'>", "      <mac address='\(mac)'/>", "      <source dev='\(device)' mode='bridge'/>"]
            }
            lines += ["      <model type='virtio'/>", "    </interface>"]
        }
        lines += [
            "    <serial type='pty'>",
            "      <target port='0'/>",
            "    </serial>",
            "    <console type='pty'>",
            "      <target type='serial' port='0'/>",
            "    </console>",
            // VNC on a UNIX socket libvirt makes in the domain's own directory, which only
            // root and the QEMU user may enter: never on TCP (ConsoleEndpoint).
            "    <graphics type='vnc'>",
            "      <listen type='socket'/>",
            "    </graphics>",
            "  </devices>",
        ]
        return lines
    }

    /// SHA-256 of the body: equal digests mean the defined domain is what the ledger wants.
    public var digest: String { Hex.encode(SHA256.hash(Array(body.joined(separator: "\n").utf8))) }

    /// The XML `start` defines and `report host vm config` prints.
    public var xml: String {
        var lines = ["<domain type='\(type)'>"]
        lines += body.prefix(2)
        lines += ["  <metadata>", "    <rocks:spec xmlns:rocks='\(Self.metadataNamespace)' digest='\(digest)'/>", "  </metadata>"]
        lines += body.dropFirst(2)
        lines.append("</domain>")
        return lines.joined(separator: "\n") + "\n"
    }

    /// Whether libvirt's copy of the metadata carries this definition's digest.
    public func isDescribed(byMetadata metadata: String?) -> Bool {
        guard let metadata else { return false }
        return metadata.contains("digest=\"\(digest)\"") || metadata.contains("digest='\(digest)'")
    }

    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "'", with: "&apos;")
            .replacingOccurrences(of: "<", with: "&lt;")
    }
}
