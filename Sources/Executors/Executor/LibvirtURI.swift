import Projections

/// Which libvirt daemon runs a container's VMs: its `libvirt_uri` attribute, else the default
/// `qemu+ssh://<container>/system`. `ROCKS_LIBVIRT_URI` replaces only that default, so a
/// test machine can stand in for every container that has no attribute of its own.
public enum LibvirtURI {
    public static let attribute = HostAttributes.libvirtURI
    public static let environmentVariable = "ROCKS_LIBVIRT_URI"

    public static func of(container: String, attributes: [String: String], defaultOverride: String?) -> String {
        if let uri = attributes[attribute], !uri.isEmpty { return uri }
        if let uri = defaultOverride, !uri.isEmpty { return uri }
        return "qemu+ssh://\(container)/system"
    }
}
