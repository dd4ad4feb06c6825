import CLibvirt

/// Sole owner of one `virStoragePoolPtr`.
public final class StoragePool: @unchecked Sendable {
    let pointer: OpaquePointer
    public let connection: HypervisorConnection

    init(_ pointer: OpaquePointer, connection: HypervisorConnection) {
        self.pointer = pointer
        self.connection = connection
    }

    deinit {
        virStoragePoolFree(pointer)
    }

    public var name: String { virStoragePoolGetName(pointer).map { String(cString: $0) } ?? "?" }

    public func isActive() throws(LibvirtError) -> Bool {
        let active = virStoragePoolIsActive(pointer)
        guard active >= 0 else { throw LibvirtError.last("cannot read the state of pool \(name)") }
        return active == 1
    }

    /// The volume called `name`, or nil.
    public func volume(named volume: String) throws(LibvirtError) -> StorageVolume? {
        if let pointer = virStorageVolLookupByName(pointer, volume) { return StorageVolume(pointer, pool: self) }
        let error = LibvirtError.last("cannot look up volume \(volume) in pool \(name)")
        if error.code == Int32(VIR_ERR_NO_STORAGE_VOL.rawValue) { return nil }
        throw error
    }

    /// Creates a volume from XML (its `<allocation>` decides how much is written up front).
    @discardableResult
    public func createVolume(xml: String) throws(LibvirtError) -> StorageVolume {
        guard let volume = virStorageVolCreateXML(pointer, xml, 0) else {
            throw LibvirtError.last("cannot create a volume in pool \(name)")
        }
        return StorageVolume(volume, pool: self)
    }
}

/// Sole owner of one `virStorageVolPtr`.
public final class StorageVolume: @unchecked Sendable {
    let pointer: OpaquePointer
    public let pool: StoragePool

    init(_ pointer: OpaquePointer, pool: StoragePool) {
        self.pointer = pointer
        self.pool = pool
    }

    deinit {
        virStorageVolFree(pointer)
    }

    public var name: String { virStorageVolGetName(pointer).map { String(cString: $0) } ?? "?" }

    public func delete() throws(LibvirtError) {
        guard virStorageVolDelete(pointer, 0) == 0 else { throw LibvirtError.last("cannot delete volume \(name)") }
    }
}
