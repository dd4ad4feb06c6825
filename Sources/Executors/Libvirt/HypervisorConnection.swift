import CLibvirt
import Foundation

/// Sole owner of one `virConnectPtr` to a VM container's libvirt daemon.
///
/// `@unchecked Sendable`: libvirt documents a connection as usable from several threads at
/// once; errors are per-thread, and each call here reads its own in the same frame.
public final class HypervisorConnection: @unchecked Sendable {
    let pointer: OpaquePointer
    public let uri: String

    /// Installed once: libvirt would otherwise print every error to stderr itself.
    private static let silenced: Void = { rocks_virt_silence_default_errors() }()

    /// Seconds between keepalive probes, and how many may go unanswered before libvirt
    /// closes the connection: a container that vanishes is noticed in about 15 s.
    static let keepAliveInterval: Int32 = 5
    static let keepAliveCount: UInt32 = 3

    /// Connects to `uri` (`qemu:///system`, `qemu+tcp://host/system`, `test:///default`).
    public convenience init(uri: String) throws(LibvirtError) {
        try self.init(uri: uri, timeout: 30)
    }

    /// Connects to `uri`, giving up after `timeout` seconds: `virConnectOpen` has no deadline
    /// of its own, and an ssh or TCP connect to a dead container can take minutes.
    public init(uri: String, timeout: Double) throws(LibvirtError) {
        _ = Self.silenced
        LibvirtEventLoop.start()
        let attempt = ConnectAttempt()
        let thread = Thread {
            let connection = virConnectOpen(uri)
            let error = connection == nil ? LibvirtError.last("cannot connect to \(uri)") : nil
            attempt.finish(connection, error)
        }
        thread.start()
        guard let connection = try attempt.wait(seconds: timeout, uri: uri) else {
            throw LibvirtError(code: -1, message: "cannot connect to \(uri): no answer within \(Int(timeout)) s")
        }
        self.pointer = connection
        self.uri = uri
        // Local drivers have no keepalive and say so with 1; only failures matter.
        _ = virConnectSetKeepAlive(connection, Self.keepAliveInterval, Self.keepAliveCount)
    }

    deinit {
        virConnectClose(pointer)
    }

    /// Whether libvirt still considers the connection usable (keepalive has not given up).
    public var isAlive: Bool { virConnectIsAlive(pointer) == 1 }

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

    /// The state of every domain the hypervisor knows, running or only defined, by UUID.
    public func domainStates() throws(LibvirtError) -> [String: Domain.State] {
        var domains: UnsafeMutablePointer<OpaquePointer?>?
        let count = virConnectListAllDomains(pointer, &domains, 0)
        guard count >= 0, let domains else { throw LibvirtError.last("cannot list domains on \(uri)") }
        defer { free(domains) }
        // Every pointer gets its owner before any call can throw, so none is leaked.
        let owned = (0..<Int(count)).compactMap { domains[$0].map { Domain($0, connection: self) } }
        var states: [String: Domain.State] = [:]
        for domain in owned { states[try domain.uuidString()] = try domain.state() }
        return states
    }

    /// The hypervisor's version as `major.minor.release`.
    public func hypervisorVersion() throws(LibvirtError) -> String {
        var version: UInt = 0
        guard virConnectGetVersion(pointer, &version) == 0 else {
            throw LibvirtError.last("cannot read the hypervisor version of \(uri)")
        }
        return "\(version / 1_000_000).\(version / 1000 % 1000).\(version % 1000)"
    }

    /// The domain type to ask for: `kvm` where the host offers it, else plain emulation
    /// (`qemu`), else whatever the driver has (the test driver's `test`).
    public func preferredDomainType() throws(LibvirtError) -> String {
        guard let raw = virConnectGetCapabilities(pointer) else { throw LibvirtError.last("cannot read the capabilities of \(uri)") }
        defer { free(raw) }
        let capabilities = String(cString: raw)
        for type in ["kvm", "qemu"] where capabilities.contains("<domain type='\(type)'") { return type }
        guard let range = capabilities.range(of: "<domain type='") else { return "qemu" }
        return String(capabilities[range.upperBound...].prefix { $0 != "'" })
    }

    /// The domain with this UUID, or nil when the hypervisor has none.
    public func domain(uuid: String) throws(LibvirtError) -> Domain? {
        try Domain.lookup(on: self, "look up domain \(uuid)") { virDomainLookupByUUIDString(pointer, uuid) }
    }

    /// The domain with this name, or nil.
    public func domain(named name: String) throws(LibvirtError) -> Domain? {
        try Domain.lookup(on: self, "look up domain \(name)") { virDomainLookupByName(pointer, name) }
    }

    /// Defines (or redefines) a persistent domain from XML.
    public func define(xml: String) throws(LibvirtError) -> Domain {
        guard let domain = virDomainDefineXML(pointer, xml) else { throw LibvirtError.last("cannot define the domain on \(uri)") }
        return Domain(domain, connection: self)
    }

    /// The storage pool called `name`, or an error naming it when the host has none.
    public func storagePool(named name: String) throws(LibvirtError) -> StoragePool {
        guard let pool = virStoragePoolLookupByName(pointer, name) else {
            throw LibvirtError.last("cannot find storage pool '\(name)' on \(uri)")
        }
        return StoragePool(pool, connection: self)
    }

    /// Has libvirt's event thread call `handler(context, uuid, event, detail)` for every
    /// domain lifecycle event on this connection. `context` must outlive the connection.
    func watchLifecycle(_ handler: rocks_lifecycle_handler, context: UnsafeMutableRawPointer) throws(LibvirtError) {
        guard rocks_virt_watch_lifecycle(pointer, handler, context) >= 0 else {
            throw LibvirtError.last("cannot watch domain events on \(uri)")
        }
    }

    /// Has libvirt's event thread call `handler(context, reason)` when the connection closes
    /// (keepalive timed out, the peer went away). `context` must outlive the connection.
    func watchClose(_ handler: rocks_close_handler, context: UnsafeMutableRawPointer) throws(LibvirtError) {
        guard rocks_virt_watch_close(pointer, handler, context) == 0 else {
            throw LibvirtError.last("cannot watch the connection to \(uri)")
        }
    }

    /// The storage pool called `name`, or nil when the host has none.
    public func storagePoolIfPresent(named name: String) throws(LibvirtError) -> StoragePool? {
        if let pool = virStoragePoolLookupByName(pointer, name) { return StoragePool(pool, connection: self) }
        let error = LibvirtError.last("cannot find storage pool '\(name)' on \(uri)")
        if error.code == Int32(VIR_ERR_NO_STORAGE_POOL.rawValue) { return nil }
        throw error
    }
}

/// The hand-over between a connecting thread and the caller that may stop waiting for it.
private final class ConnectAttempt: @unchecked Sendable {
    private let lock = NSCondition()
    private var done = false
    private var abandoned = false
    private var connection: OpaquePointer?
    private var error: LibvirtError?

    func finish(_ connection: OpaquePointer?, _ error: LibvirtError?) {
        lock.lock()
        defer { lock.unlock() }
        if abandoned {
            // The caller gave up: nobody else will close it.
            if let connection { virConnectClose(connection) }
            return
        }
        self.connection = connection
        self.error = error
        done = true
        lock.signal()
    }

    /// The connection, nil on timeout, or the connect error.
    func wait(seconds: Double, uri: String) throws(LibvirtError) -> OpaquePointer? {
        lock.lock()
        defer { lock.unlock() }
        let deadline = Date().addingTimeInterval(seconds)
        while !done {
            if !lock.wait(until: deadline), !done {
                abandoned = true
                return nil
            }
        }
        if let error { throw error }
        return connection
    }
}
