import CLibvirt

/// Sole owner of one `virConnectPtr` to a VM container's libvirt daemon.
///
/// `@unchecked Sendable`: libvirt documents a connection as usable from several threads at
/// once; errors are per-thread, and each call here reads its own in the same frame.
public final class HypervisorConnection: @unchecked Sendable {
    let pointer: OpaquePointer
    public let uri: String

    /// Installed once: libvirt would otherwise print every error to stderr itself.
    private static let silenced: Void = { rocks_virt_silence_default_errors() }()

    /// Connects to `uri` (`qemu:///system`, `qemu+tcp://host/system`, `test:///default`).
    public init(uri: String) throws(LibvirtError) {
        _ = Self.silenced
        guard let connection = virConnectOpen(uri) else {
            throw LibvirtError.last("cannot connect to \(uri)")
        }
        self.pointer = connection
        self.uri = uri
    }

    deinit {
        virConnectClose(pointer)
    }

    /// The names of every domain the hypervisor knows, running or only defined, sorted.
    public func domainNames() throws(LibvirtError) -> [String] {
        var domains: UnsafeMutablePointer<OpaquePointer?>?
        let count = virConnectListAllDomains(pointer, &domains, 0)
        guard count >= 0, let domains else { throw LibvirtError.last("cannot list domains on \(uri)") }
        defer { free(domains) }
        var names: [String] = []
        for index in 0..<Int(count) {
            guard let domain = domains[index] else { continue }
            if let name = virDomainGetName(domain) { names.append(String(cString: name)) }
            virDomainFree(domain)
        }
        return names.sorted()
    }

    /// The hypervisor's version as `major.minor.release`.
    public func hypervisorVersion() throws(LibvirtError) -> String {
        var version: UInt = 0
        guard virConnectGetVersion(pointer, &version) == 0 else {
            throw LibvirtError.last("cannot read the hypervisor version of \(uri)")
        }
        return "\(version / 1_000_000).\(version / 1000 % 1000).\(version % 1000)"
    }
}
