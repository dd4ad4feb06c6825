import Ledger
import Signing

/// Every allocation one decision takes: names, slices, MACs, private IPs, VLANs, UUIDs.
///
/// It reads the views as they are inside the append transaction and remembers what this
/// decision already took, so one request never hands out the same thing twice and two
/// requests never race (LMDB runs one write transaction at a time). Only deciders use it;
/// folds read what it decided from the record.
struct Allocator {
    static let lastMACKey = "last-mac"
    /// Every private address above this one is in use, so allocation starts here instead of
    /// walking down from the top each time (O(1) instead of O(addresses in use)).
    static let ipFrontierKey = "private-ip-frontier"
    static let vlanRange: ClosedRange<Int64> = 2...4095

    let views: ViewStore
    let settings: FrontendSettings
    /// The record being decided; nil for read-only previews (`report vm nextmac`).
    let context: AppendContext?
    private var interfaces: InterfaceStore { InterfaceStore(views: views) }

    private var takenMACs: Set<UInt64> = []
    private var takenIPs: Set<UInt32> = []
    private var takenNames: Set<String> = []
    private var takenVLANs: Set<Int64> = []
    private var highestSlice: [String: Int64] = [:]
    private var lastMAC: UInt64?
    private var nextIPCandidate: UInt32?
    private var uuidCount = 0

    init(views: ViewStore, settings: FrontendSettings, context: AppendContext?) {
        self.views = views
        self.settings = settings
        self.context = context
    }

    // MARK: MACs: one above the highest ever handed out; never reused.

    /// The highest VM-range MAC handed out so far, if this decision moved it.
    var lastMACIfChanged: UInt64? { lastMAC }
    /// The private-IP frontier, if this decision moved it.
    var ipFrontierIfChanged: UInt32? { nextIPCandidate }

    private func storedLastMAC(in txn: borrowing Transaction) throws -> UInt64? {
        try views.get(.settings, Self.lastMACKey, in: txn)?.integerValue.map(UInt64.init)
    }

    /// The MAC `report vm nextmac` shows: what `mac()` would return, without taking it.
    func peekMAC(in txn: borrowing Transaction) throws -> MACAddress {
        var copy = self
        return try copy.mac(in: txn)
    }

    mutating func mac(in txn: borrowing Transaction) throws -> MACAddress {
        let range = settings.vmMACRange
        var candidate = try lastMAC.map { $0 + 1 } ?? storedLastMAC(in: txn).map { $0 + 1 } ?? range.lowerBound
        while candidate <= range.upperBound {
            let mac = MACAddress(value: candidate)!
            if !takenMACs.contains(candidate), try interfaces.owner(of: mac, in: txn) == nil {
                takenMACs.insert(candidate)
                lastMAC = candidate
                return mac
            }
            candidate += 1
        }
        throw DomainError("the VM MAC range \(MACAddress(value: range.lowerBound)!)–\(MACAddress(value: range.upperBound)!) is exhausted; MACs are never reused")
    }

    /// Takes a MAC the operator chose; it must be free. A MAC in the VM range moves the
    /// high-water mark, so allocation never hands it out again.
    mutating func claim(_ mac: MACAddress, in txn: borrowing Transaction) throws {
        if takenMACs.contains(mac.value) { throw DomainError("MAC \(mac) is given twice") }
        if let owner = try interfaces.owner(of: mac, in: txn) { throw DomainError("MAC \(mac) is already used by \(owner)") }
        takenMACs.insert(mac.value)
        if settings.vmMACRange.contains(mac.value) {
            let current = try lastMAC ?? storedLastMAC(in: txn)
            lastMAC = max(mac.value, current ?? mac.value)
        }
    }

    // MARK: Private IPs: descending from the top of the private network.

    mutating func privateIP(in txn: borrowing Transaction) throws -> IPv4Address {
        let subnet = settings.privateSubnet
        let stored = try views.get(.settings, Self.ipFrontierKey, in: txn)?.integerValue.map { UInt32(clamping: $0) }
        var candidate = nextIPCandidate ?? stored ?? subnet.broadcast.value &- 1
        let lowest = subnet.network.value &+ 2
        while candidate >= lowest, candidate <= subnet.broadcast.value &- 1 {
            let ip = IPv4Address(value: candidate)
            if !takenIPs.contains(candidate), try interfaces.owner(of: ip, in: txn) == nil {
                takenIPs.insert(candidate)
                nextIPCandidate = candidate &- 1
                return ip
            }
            candidate &-= 1
        }
        throw DomainError("no free IP address is left in the private network \(subnet.network)/\(subnet.netmask)")
    }

    mutating func claim(_ ip: IPv4Address, in txn: borrowing Transaction) throws {
        if takenIPs.contains(ip.value) { throw DomainError("IP address \(ip) is given twice") }
        if let owner = try interfaces.owner(of: ip, in: txn) { throw DomainError("IP address \(ip) is already used by \(owner)") }
        takenIPs.insert(ip.value)
    }

    // MARK: VLANs: the lowest id no interface uses.

    mutating func vlan(in txn: borrowing Transaction) throws -> Int64 {
        for vlan in Self.vlanRange where !takenVLANs.contains(vlan) {
            if try interfaces.user(of: vlan, in: txn) == nil {
                takenVLANs.insert(vlan)
                return vlan
            }
        }
        throw DomainError("could not find a free Vlan ID")
    }

    mutating func claim(vlan: Int64, in txn: borrowing Transaction) throws {
        guard Self.vlanRange.contains(vlan) else { throw DomainError("Vlan ID (\(vlan)) must be between 2 and 4095") }
        if let user = try interfaces.user(of: vlan, in: txn) { throw DomainError("Vlan ID (\(vlan)) is already used by \(user)") }
        takenVLANs.insert(vlan)
    }

    // MARK: Names and slices

    func isTaken(_ name: String, in txn: borrowing Transaction) throws -> Bool {
        try takenNames.contains(name) || views.contains(.hosts, name, in: txn)
    }

    mutating func claim(name: String, in txn: borrowing Transaction) throws {
        try HostName.check(name)
        if try isTaken(name, in: txn) { throw DomainError("node \"\(name)\" is already in the database") }
        takenNames.insert(name)
    }

    /// The `container-slices` key: the container, a slash, and the slice in six digits at
    /// least, so a container's slices sort by number.
    static func sliceKey(_ container: String, _ slice: Int64) -> String {
        container + "/" + String(zeroPadded: slice, width: 6)
    }

    /// The VM name `<base>-<rack>-<rank>-<slice>` on `container`, with the slice one more
    /// than the highest on that container (0 for the first), bumped past any name already
    /// taken. Unlike Rocks 6.1 (reference §9.2 #4), a slice is never handed out twice.
    mutating func vmName(base: String, on container: Host, in txn: borrowing Transaction) throws -> (String, Int64) {
        while true {
            let slice = try nextSlice(on: container, in: txn)
            let name = "\(base)-\(container.rack)-\(container.rank)-\(slice)"
            if try !isTaken(name, in: txn) {
                takenNames.insert(name)
                return (name, slice)
            }
        }
    }

    /// Takes the next slice on `container`: one above the highest taken, skipping used ones.
    mutating func nextSlice(on container: Host, in txn: borrowing Transaction) throws -> Int64 {
        var slice = try highestSlice[container.name].map { $0 + 1 } ?? nextStoredSlice(container.name, in: txn)
        while try views.contains(.containerSlices, Self.sliceKey(container.name, slice), in: txn) { slice += 1 }
        highestSlice[container.name] = slice
        return slice
    }

    /// Takes an explicit slice (`slice=`); it must be free on the container.
    mutating func claim(slice: Int64, on container: Host, in txn: borrowing Transaction) throws {
        guard slice >= 0 else { throw DomainError("slice must be a non-negative integer") }
        if try views.contains(.containerSlices, Self.sliceKey(container.name, slice), in: txn) {
            throw DomainError("slice \(slice) is already used on \(container.name)")
        }
        highestSlice[container.name] = max(highestSlice[container.name] ?? -1, slice)
    }

    private func nextStoredSlice(_ container: String, in txn: borrowing Transaction) throws -> Int64 {
        guard let key = try views.lastKey(.containerSlices, prefix: container + "/", in: txn),
              let slice = Int64(key.dropFirst(container.count + 1))
        else { return 0 }
        return slice + 1
    }

    // MARK: UUIDs

    /// A domain UUID derived from the ledger id, the record's sequence number and a counter
    /// within the decision: the same on every rebuild, different for every VM ever made.
    mutating func uuid() -> String {
        guard let context else { preconditionFailure("UUIDs are only allocated while deciding a record") }
        var input = context.ledger.bytes
        withUnsafeBytes(of: context.sequence.bigEndian) { input += $0 }
        withUnsafeBytes(of: UInt32(uuidCount).bigEndian) { input += $0 }
        uuidCount += 1
        var bytes = Array(SHA256.hash(input).prefix(16))
        bytes[6] = bytes[6] & 0x0f | 0x80  // version 8: custom, name-derived
        bytes[8] = bytes[8] & 0x3f | 0x80  // RFC 9562 variant
        let hex = Hex.encode(bytes)
        let parts = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { range in
            String(hex.dropFirst(range.lowerBound).prefix(range.count))
        }
        return parts.joined(separator: "-")
    }
}
