import CLibvirt

/// Sole owner of one `virDomainPtr`. Keeps its connection alive while it lives.
public final class Domain: @unchecked Sendable {
    let pointer: OpaquePointer
    public let connection: HypervisorConnection

    init(_ pointer: OpaquePointer, connection: HypervisorConnection) {
        self.pointer = pointer
        self.connection = connection
    }

    deinit {
        virDomainFree(pointer)
    }

    /// Runs a lookup; "no such domain" is nil, any other failure an error.
    static func lookup(on connection: HypervisorConnection, _ what: String, _ call: () -> OpaquePointer?) throws(LibvirtError) -> Domain? {
        if let pointer = call() { return Domain(pointer, connection: connection) }
        let error = LibvirtError.last("cannot \(what) on \(connection.uri)")
        if error.code == Int32(VIR_ERR_NO_DOMAIN.rawValue) { return nil }
        throw error
    }

    /// `other`: no state, shutting down, or suspended to RAM by the guest: nothing this
    /// project acts on without an operator.
    public enum State: String, Sendable {
        case running, paused, shutoff, other
    }

    public var name: String { virDomainGetName(pointer).map { String(cString: $0) } ?? "?" }

    public func state() throws(LibvirtError) -> State {
        var state: Int32 = 0
        var reason: Int32 = 0
        guard virDomainGetState(pointer, &state, &reason, 0) == 0 else { throw LibvirtError.last("cannot read the state of \(name)") }
        switch UInt32(state) {
        case VIR_DOMAIN_RUNNING.rawValue, VIR_DOMAIN_BLOCKED.rawValue: return .running
        case VIR_DOMAIN_PAUSED.rawValue: return .paused
        case VIR_DOMAIN_SHUTOFF.rawValue, VIR_DOMAIN_CRASHED.rawValue: return .shutoff
        default: return .other
        }
    }

    public func start() throws(LibvirtError) {
        guard virDomainCreate(pointer) == 0 else { throw LibvirtError.last("cannot start \(name)") }
    }

    public func resume() throws(LibvirtError) {
        guard virDomainResume(pointer) == 0 else { throw LibvirtError.last("cannot resume \(name)") }
    }

    /// Pulls the plug, as Rocks' `stop host vm` did.
    public func destroy() throws(LibvirtError) {
        guard virDomainDestroy(pointer) == 0 else { throw LibvirtError.last("cannot stop \(name)") }
    }

    /// Asks the guest to shut down (ACPI); returns at once.
    public func shutdown() throws(LibvirtError) {
        guard virDomainShutdown(pointer) == 0 else { throw LibvirtError.last("cannot shut down \(name)") }
    }

    /// Removes the persistent definition, with any managed save image and snapshot metadata.
    public func undefine() throws(LibvirtError) {
        let flags = VIR_DOMAIN_UNDEFINE_MANAGED_SAVE.rawValue | VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA.rawValue
        guard virDomainUndefineFlags(pointer, flags) == 0 else { throw LibvirtError.last("cannot undefine \(name)") }
    }

    /// The live XML (with the VNC port libvirt picked).
    public func xml() throws(LibvirtError) -> String {
        guard let raw = virDomainGetXMLDesc(pointer, 0) else {
            throw LibvirtError.last("cannot read the XML of \(name)")
        }
        defer { free(raw) }
        return String(cString: raw)
    }

    /// The persistent definition's `<metadata>` element in namespace `uri`, or nil.
    public func metadata(namespace uri: String) throws(LibvirtError) -> String? {
        let type = Int32(VIR_DOMAIN_METADATA_ELEMENT.rawValue)
        guard let raw = virDomainGetMetadata(pointer, type, uri, VIR_DOMAIN_AFFECT_CONFIG.rawValue) else {
            let error = LibvirtError.last("cannot read the metadata of \(name)")
            if error.code == Int32(VIR_ERR_NO_DOMAIN_METADATA.rawValue) { return nil }
            throw error
        }
        defer { free(raw) }
        return String(cString: raw)
    }
}

extension Domain {
    public func uuidString() throws(LibvirtError) -> String {
        var buffer = [CChar](repeating: 0, count: Int(VIR_UUID_STRING_BUFLEN))
        guard virDomainGetUUIDString(pointer, &buffer) == 0 else { throw LibvirtError.last("cannot read the UUID of \(name)") }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
