import Ledger
import Signing

/// Writes and removes interfaces together with the indexes that keep MACs, IPs and VLAN
/// users unique, so no operation can update one without the others. Every index key is
/// made here, from the interface's values, the same way on put and on removal.
struct InterfaceStore {
    let views: ViewStore

    static func vlanKey(_ vlan: Int64) -> String {
        String(zeroPadded: vlan, width: 4) + "/"
    }

    /// Writes `interface`, first removing any row it replaces with its index entries, so no
    /// MAC, IP or VLAN stays reserved by a row that no longer holds it.
    func put(_ interface: Interface, in txn: borrowing Transaction) throws {
        try put(EncodedInterface(interface), in: txn)
    }

    /// ``put(_:in:)`` for an interface whose row was encoded ahead (by a `prepare`).
    func put(_ encoded: EncodedInterface, in txn: borrowing Transaction) throws {
        let interface = encoded.interface, key = interface.key
        if let old = try views.row(.interfaces, key, as: Interface.self, in: txn) { try remove(old, in: txn) }
        try views.put(.interfaces, key, encoded: encoded.row, in: txn)
        // The MAC's and the IP's index entries both name the interface.
        let owner = CanonicalJSON.encode(.string(key))
        if let mac = interface.mac { try views.put(.macs, mac.description, encoded: owner, in: txn) }
        if let ip = interface.ip { try views.put(.ips, ip.description, encoded: owner, in: txn) }
        if let vlan = interface.vlan, vlan > 0 { try views.put(.vlanUsers, Self.vlanKey(vlan) + key, true, in: txn) }
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
        try views.rows(.interfaces, prefix: host + "/", as: Interface.self, in: txn)
    }

    /// The interface holding `mac`, if any.
    func owner(of mac: MACAddress, in txn: borrowing Transaction) throws -> String? {
        try views.get(.macs, mac.description, in: txn)?.stringValue
    }

    func owner(of ip: IPv4Address, in txn: borrowing Transaction) throws -> String? {
        try views.get(.ips, ip.description, in: txn)?.stringValue
    }

    /// Every `<host>/<device>` using `vlan`, in key order.
    func users(of vlan: Int64, in txn: borrowing Transaction) throws -> [String] {
        let prefix = Self.vlanKey(vlan)
        return try views.keys(.vlanUsers, prefix: prefix, in: txn).map { String($0.dropFirst(prefix.count)) }
    }

    /// Some `<host>/<device>` using `vlan`, if any.
    func user(of vlan: Int64, in txn: borrowing Transaction) throws -> String? {
        let prefix = Self.vlanKey(vlan)
        return try views.firstKey(.vlanUsers, prefix: prefix, in: txn).map { String($0.dropFirst(prefix.count)) }
    }
}

/// An interface and its row, encoded when the interface was prepared.
struct EncodedInterface: Sendable {
    let interface: Interface
    let row: [UInt8]

    init(_ interface: Interface) {
        self.interface = interface
        row = interface.row
    }
}
