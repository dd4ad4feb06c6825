import Signing

/// The host attributes this project reads, checked when they are set or removed, so a
/// value that can only fail later (a VM that will not start, a bridge the kernel refuses)
/// is refused at `set host attr`, naming what is allowed. Other attributes are Rocks' own
/// and are kept as given.
public enum HostAttributes {
    public static let libvirtURI = "libvirt_uri"
    public static let diskPool = DiskDefaults.poolAttribute
    public static let diskFormat = DiskDefaults.formatAttribute
    public static let vlanDevice = "vlan_device"
    /// The disk formats libvirt's storage pools create and QEMU boots from.
    public static let diskFormats = ["raw", "qcow2"]

    /// Refuses a host's attributes as they would be after the change: each known one's value,
    /// and the bridge settings together (the forward delay allowed depends on STP).
    static func check(_ attributes: [String: String], changed name: String) throws(DomainError) {
        if let value = attributes[name] {
            switch name {
            case libvirtURI: try checkLibvirtURI(value)
            case diskPool:
                guard HostAttributeOperation.isValidName(value) else {
                    throw DomainError("attribute \(diskPool) must be a libvirt storage pool name (letters, digits, _ - .), not \(MessageText.quote(value))")
                }
            case diskFormat:
                guard diskFormats.contains(value) else {
                    throw DomainError("attribute \(diskFormat) must be one of \(diskFormats.joined(separator: ", ")), not \(MessageText.quote(value))")
                }
            case vlanDevice: try checkVLANDeviceTemplate(value)
            default: break
            }
        }
        _ = try BridgeOptions(attributes: attributes)
    }

    /// `<driver>[+<transport>]://[user@][host][:port]/<path>[?<query>]` for the drivers a
    /// container runs (QEMU's system daemon; `test` for tests).
    static func checkLibvirtURI(_ uri: String) throws(DomainError) {
        let refusal = DomainError("attribute \(libvirtURI) must be a libvirt URI such as qemu+ssh://<container>/system or qemu+tls://<container>/system, not \(MessageText.quote(uri))")
        guard let separator = uri.firstRange(of: "://"), !uri.contains(" ") else { throw refusal }
        let scheme = uri[..<separator.lowerBound].split(separator: "+", omittingEmptySubsequences: false)
        let transports: Set<Substring> = ["ssh", "libssh", "libssh2", "tcp", "tls", "unix"]
        guard ["qemu", "test"].contains(scheme[0]), scheme.count == 1 || (scheme.count == 2 && transports.contains(scheme[1])) else { throw refusal }
        let rest = uri[separator.upperBound...]
        guard let slash = rest.firstIndex(of: "/") else { throw refusal }
        let path = rest[slash...].prefix { $0 != "?" }
        if scheme[0] == "qemu", path != "/system" { throw refusal }
    }

    /// The template must give each VLAN its own device (`{vlan}`), and a valid device name
    /// for the longest VLAN on a typical NIC; each real device name is checked again when the
    /// network is generated.
    static func checkVLANDeviceTemplate(_ template: String) throws(DomainError) {
        let sample = template.replacing("{dev}", with: "eth0").replacing("{vlan}", with: "4095")
        guard template.contains("{vlan}"), isValidLinkName(sample) else {
            throw DomainError("attribute \(vlanDevice) must be a device name template with {vlan} (and usually {dev}), such as p{dev}.{vlan}, giving at most 15 bytes without '/', ':' or spaces; not \(MessageText.quote(template))")
        }
    }

    /// A Linux network device name: 1–15 bytes, not `.` or `..`, no `/`, `:` or whitespace.
    public static func isValidLinkName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 15 && name != "." && name != ".."
            && !name.utf8.contains { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: ":") || $0 <= 0x20 }
    }
}
