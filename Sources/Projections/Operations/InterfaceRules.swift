import Ledger
import Signing

/// What a physical host's NIC may be, checked by `add host interface` and by every
/// `set host interface` field, so the two cannot disagree.
enum InterfaceRules {
    /// Linux interface names: lower-case letters, digits, `.`, `-` and `_`, at most 15 bytes.
    static func checkDevice(_ device: String) throws(DomainError) {
        guard let first = device.utf8.first, (0x61...0x7a).contains(first), device.utf8.count <= 15,
              device.utf8.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7a) || ($0 >= 0x30 && $0 <= 0x39) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") })
        else { throw DomainError("interface name \(MessageText.quote(device)) is not valid (at most 15 lower-case letters, digits, '.', '-' or '_', e.g. eth1, ib0, vlan2)") }
        if let carried = carriedVLAN(device), !Allocator.vlanRange.contains(carried) {
            throw DomainError("interface \(device) would carry VLAN \(carried); VLANs are \(Allocator.vlanRange.lowerBound) to \(Allocator.vlanRange.upperBound)")
        }
    }

    /// The VLAN a container's `vlan<N>` device carries, as `add cluster` names them.
    static func carriedVLAN(_ device: String) -> Int64? {
        guard device.hasPrefix("vlan") else { return nil }
        return Int64(device.dropFirst(4))
    }

    /// The interface's VLAN: 0 or none for the untagged network, else 2 to 4095 (VLAN 1 is
    /// the switches' default and carries untagged traffic). A `vlan<N>` device carries VLAN N
    /// and no other: not given, it gets N; it cannot be set to `none`.
    static func vlan(_ text: String?, device: String) throws(DomainError) -> Int64? {
        let carried = carriedVLAN(device)
        guard let text, !text.isEmpty else { return carried }
        if text == "none" {
            if let carried { throw DomainError("interface \(device) carries VLAN \(carried); remove the interface rather than clear its VLAN") }
            return nil
        }
        guard let vlan = Int64(text), vlan == 0 || Allocator.vlanRange.contains(vlan) else {
            throw DomainError("vlan must be 0 (untagged) or a whole number from \(Allocator.vlanRange.lowerBound) to \(Allocator.vlanRange.upperBound), not \(MessageText.quote(text))")
        }
        if let carried, carried != vlan { throw DomainError("interface \(device) carries VLAN \(carried), not \(vlan)") }
        return vlan
    }

    /// Refuses taking `interface`'s VLAN off its container while VMs there still use it:
    /// they could neither start nor be described without it.
    static func checkUnused(_ interface: Interface, views: ViewStore, in txn: borrowing Transaction) throws {
        guard let vlan = interface.vlan, vlan > 0 else { return }
        var users: [String] = []
        for user in try InterfaceStore(views: views).users(of: vlan, in: txn) {
            let name = String(user.prefix { $0 != "/" })
            guard !users.contains(name), let vm = try views.row(.vms, name, as: VirtualMachine.self, in: txn),
                  vm.container == interface.host else { continue }
            users.append(name)
        }
        guard users.isEmpty else {
            throw DomainError("VLAN \(vlan) on \(interface.host) (\(interface.device)) is used by its VMs \(users.joined(separator: ", ")); move or remove them first")
        }
    }

    /// NICs are added to physical hosts; a VM's come with it (`add host vm num-macs=`).
    static func checkPhysical(_ host: Host) throws(DomainError) {
        if host.isVM { throw DomainError("host \(host.name) is a VM: its interfaces come with it (add host vm num-macs=) and go with it") }
    }
}
