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
        try put(EncodedInterface(interface), in: txn)
    }

    /// ``put(_:in:)`` with the rows keyed and encoded ahead.
    func put(_ encoded: EncodedInterface, in txn: borrowing Transaction) throws {
        if let old = try views.get(.interfaces, encoded.key, in: txn).map(Interface.init(json:)) { try remove(old, in: txn) }
        try views.put(.interfaces, encoded.key, encoded: encoded.row, in: txn)
        for row in encoded.indexes.indices {
            try views.put(encoded.indexes[row].view, encoded.indexes[row].key, encoded: encoded.indexes[row].value, in: txn)
        }
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

/// An interface's row and the index rows that point at it (MAC, IP, VLAN user), keyed and
/// encoded ahead of the fold: on a rebuild's parsing thread, so the fold only writes them.
struct EncodedInterface: Sendable {
    /// `<host>/<device>`.
    let key: String
    let row: [UInt8]
    let indexes: [(view: View, key: String, value: [UInt8])]

    init(_ interface: Interface) {
        self.init(key: interface.key, row: CanonicalJSON.encode(interface.json), mac: interface.mac?.description,
                  ip: interface.ip?.description, vlan: interface.vlan)
    }

    /// Reads an interface where it lies in a stored decision (``Interface/json``, as a decider
    /// stores it), whose bytes are then its row: no model is made of it.
    init(stored: JSONBytes) throws {
        var field = stored.members
        guard let device = field("device")?.stringValue, let host = field("host")?.stringValue else {
            throw DomainError("an interface in a decision is malformed")
        }
        // The address parsers accept one spelling only, so a text they accept is its index key
        // as written, and one they refuse indexes nothing (as a model would hold no address).
        let ip = field("ip")?.stringValue.flatMap { IPv4Address($0) == nil ? nil : $0 }
        let mac = field("mac")?.stringValue.flatMap { MACAddress($0) == nil ? nil : $0 }
        self.init(key: Interface.key(host, device), row: Array(stored.raw), mac: mac, ip: ip, vlan: field("vlan")?.integerValue)
    }

    private init(key: String, row: [UInt8], mac: String?, ip: String?, vlan: Int64?) {
        self.key = key
        self.row = row
        let pointer = CanonicalJSON.encode(.string(key))
        var indexes: [(view: View, key: String, value: [UInt8])] = []
        if let mac { indexes.append((.macs, mac, pointer)) }
        if let ip { indexes.append((.ips, ip, pointer)) }
        if let vlan, vlan > 0 { indexes.append((.vlanUsers, InterfaceStore.vlanKey(vlan) + key, CanonicalJSON.encode(.bool(true)))) }
        self.indexes = indexes
    }
}
