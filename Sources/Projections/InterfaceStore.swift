import Ledger
import Signing

/// Writes and removes interfaces together with the indexes that keep MACs, IPs and VLAN
/// users unique, so no operation can update one without the others.
struct InterfaceStore {
    let views: ViewStore

    static func vlanKey(_ vlan: Int64) -> String {
        let digits = String(vlan)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits + "/"
    }

    /// Writes `interface`, first dropping the index entries of any row it replaces, so no
    /// MAC, IP or VLAN stays reserved by a row that no longer holds it.
    func put(_ interface: Interface, in txn: borrowing Transaction) throws {
        var writes = PreparedWrites()
        try writes.putInterface(interface)
        try writes.apply(views: views, in: txn)
    }

    /// Writes an interface's row under `key` (`<host>/<device>`), first dropping the index
    /// entries of the row it replaces; ``PreparedWrites`` writes the new index entries after it.
    func putRow(key: UnsafeRawBufferPointer, row: UnsafeRawBufferPointer, in txn: borrowing Transaction) throws {
        let old = try views.withCurrent(.interfaces, text: key, in: txn) { raw in try raw.map { try CanonicalJSON.decodeTrusted($0) } }
        if let old { try remove(Interface(json: old), in: txn) }
        try views.put(.interfaces, text: key, encoded: row, in: txn)
    }

    func remove(_ interface: Interface, in txn: borrowing Transaction) throws {
        try views.delete(.interfaces, interface.key, in: txn)
        if let mac = interface.mac { try views.delete(.macs, mac.description, in: txn) }
        if let ip = interface.ip {
            try views.delete(.ips, ip.description, in: txn)
            // A freed private address above the frontier moves it up, so allocation finds it
            // again: private IPs are handed out first-free from the top, as Rocks does.
            if let frontier = try views.get(.settings, Allocator.ipFrontierKey, in: txn)?.integerValue, Int64(ip.value) > frontier,
               try views.settings(in: txn).privateSubnet.contains(ip)
            {
                try views.put(.settings, Allocator.ipFrontierKey, .integer(Int64(ip.value)), in: txn)
            }
        }
        if let vlan = interface.vlan, vlan > 0 { try views.delete(.vlanUsers, Self.vlanKey(vlan) + interface.key, in: txn) }
    }

    func interfaces(of host: String, in txn: borrowing Transaction) throws -> [Interface] {
        try views.scan(.interfaces, prefix: host + "/", in: txn).map { try Interface(json: $0.1) }
    }

    /// The interface holding `mac`, if any.
    func owner(of mac: MACAddress, in txn: borrowing Transaction) throws -> String? {
        try views.get(.macs, mac.description, in: txn)?.stringValue
    }

    func owner(of ip: IPv4Address, in txn: borrowing Transaction) throws -> String? {
        try views.get(.ips, ip.description, in: txn)?.stringValue
    }

    /// Some `<host>/<device>` using `vlan`, if any.
    func user(of vlan: Int64, in txn: borrowing Transaction) throws -> String? {
        let prefix = Self.vlanKey(vlan)
        return try views.firstKey(.vlanUsers, prefix: prefix, in: txn).map { String($0.dropFirst(prefix.count)) }
    }
}
