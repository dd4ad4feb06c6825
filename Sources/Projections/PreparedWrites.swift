import Ledger
import Signing

/// The rows a fold will write, keyed and encoded ahead (on a rebuild's parsing thread), kept
/// end to end in one byte array with a table of plain entries.
///
/// A record's rows are then two allocations, not one per key and row, and letting them go
/// walks nothing: a rebuild's parsing thread spent more time freeing the strings and arrays
/// of the models these replaced than reading the decisions they came from.
struct PreparedWrites: Sendable {
    private enum Kind: UInt8 {
        /// Writes the value under the key.
        case put
        /// Writes an interface row, first dropping the index rows of the row it replaces.
        case interface
        /// Adds a VM (the value: its name, as text) to the computes of a cluster (the key).
        case joinCluster
    }

    private struct Entry {
        let kind: Kind
        let view: View
        /// The key's text is `arena[keyStart..<valueStart]`, the value `arena[valueStart..<valueEnd]`
        /// (a decision is at most 8 MiB, so the offsets of the rows it makes fit).
        let keyStart: Int32
        let valueStart: Int32
        let valueEnd: Int32
    }

    private var arena: [UInt8] = []
    private var entries: [Entry] = []

    /// Nothing yet: a fold that usually writes nothing allocates nothing.
    init() {}

    /// Room, from the start, for the rows of a decision `byteCount` long: its rows are mostly
    /// its own parts, copied, with their keys. An arena grown by appends was reallocated about
    /// four times per record, on the parsing thread a rebuild waits for.
    init(reservingFor byteCount: Int) {
        arena.reserveCapacity(byteCount + byteCount / 2 + 128)
        entries.reserveCapacity(8)
    }

    /// Each write in order, as if the fold had made them one by one.
    func apply(views: ViewStore, in txn: borrowing Transaction) throws {
        try arena.withUnsafeBytes { arena in
            for entry in entries {
                let key = UnsafeRawBufferPointer(rebasing: arena[Int(entry.keyStart)..<Int(entry.valueStart)])
                let value = UnsafeRawBufferPointer(rebasing: arena[Int(entry.valueStart)..<Int(entry.valueEnd)])
                switch entry.kind {
                case .put: try views.put(entry.view, text: key, encoded: value, in: txn)
                case .interface: try InterfaceStore(views: views).putRow(key: key, row: value, in: txn)
                case .joinCluster:
                    let frontend = String(decoding: key, as: UTF8.self)
                    if var cluster = try views.get(.clusters, frontend, in: txn).map(VirtualCluster.init(json:)) {
                        cluster.computes.append(String(decoding: value, as: UTF8.self))
                        try views.put(.clusters, frontend, cluster.json, in: txn)
                    }
                }
            }
        }
    }

    // MARK: Writing an entry

    /// Adds an entry whose key `key` appends to the arena and whose value `value` appends after it.
    private mutating func add(_ kind: Kind, _ view: View, key: (inout [UInt8]) throws -> Void,
                              value: (inout [UInt8]) throws -> Void) rethrows
    {
        let keyStart = arena.count
        try key(&arena)
        let valueStart = arena.count
        try value(&arena)
        entries.append(Entry(kind: kind, view: view, keyStart: Int32(keyStart), valueStart: Int32(valueStart),
                             valueEnd: Int32(arena.count)))
    }

    mutating func put(_ view: View, key: String, value: UnsafeRawBufferPointer) {
        add(.put, view, key: { $0.append(contentsOf: key.utf8) }, value: { $0.append(contentsOf: value) })
    }

    /// Appends the text of `json`, a string (``JSONBytes/isString``): where it lies, unless
    /// it has escapes to undo.
    private static func appendText(_ json: JSONBytes, to arena: inout [UInt8]) {
        if let text = json.unescapedString {
            arena.append(contentsOf: text)
        } else if let text = json.stringValue {
            arena.append(contentsOf: text.utf8)
        }
    }

    // MARK: Interfaces

    /// An interface's row and the index rows that point at it (MAC, IP, VLAN user).
    mutating func putInterface(_ interface: Interface) throws {
        // Its row is its canonical JSON, read in place as a stored one is.
        try CanonicalJSON.encode(interface.json).withUnsafeBytes { try putInterface(stored: JSONBytes($0)) }
    }

    /// An interface where it lies in a stored decision (``Interface/json``, as a decider stores
    /// it), whose bytes are then its row: no model is made of it.
    mutating func putInterface(stored: JSONBytes) throws {
        var field = stored.members
        guard let device = field("device"), let host = field("host"), host.isString, device.isString else {
            throw DomainError("an interface in a decision is malformed")
        }
        // The address parsers accept one spelling only, so a text they accept is its index key
        // as written, and one they refuse indexes nothing (as a model would hold no address).
        let ip = field("ip")?.unescapedString.flatMap { IPv4Address(utf8: $0) == nil ? nil : $0 }
        let mac = field("mac")?.unescapedString.flatMap { MACAddress(utf8: $0) == nil ? nil : $0 }
        let vlan = field("vlan")?.integerValue
        // `<host>/<device>`: the interface's key, and (as a JSON string) its index rows' value.
        let key = { (arena: inout [UInt8]) in
            Self.appendText(host, to: &arena)
            arena.append(UInt8(ascii: "/"))
            Self.appendText(device, to: &arena)
        }
        add(.interface, .interfaces, key: key, value: { $0.append(contentsOf: stored.raw) })
        if let mac { add(.put, .macs, key: { $0.append(contentsOf: mac) }, value: { Self.appendJSONString(key, to: &$0) }) }
        if let ip { add(.put, .ips, key: { $0.append(contentsOf: ip) }, value: { Self.appendJSONString(key, to: &$0) }) }
        if let vlan, vlan > 0 {
            add(.put, .vlanUsers, key: { arena in
                arena.append(contentsOf: InterfaceStore.vlanKey(vlan).utf8)
                key(&arena)
            }, value: { $0.append(contentsOf: "true".utf8) })
        }
    }

    /// Appends the canonical JSON of the string `text` appends.
    private static func appendJSONString(_ text: (inout [UInt8]) -> Void, to arena: inout [UInt8]) {
        let start = arena.count
        arena.append(UInt8(ascii: "\""))
        text(&arena)
        // Text with nothing to escape is its own JSON; the rare rest goes through the encoder.
        let needsEscape = arena[(start + 1)...].contains { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }
        if needsEscape {
            let string = String(decoding: arena[(start + 1)...], as: UTF8.self)
            arena.removeSubrange(start...)
            arena.append(contentsOf: CanonicalJSON.encode(.string(string)))
        } else {
            arena.append(UInt8(ascii: "\""))
        }
    }

    // MARK: VMs

    /// One VM allocation where it lies in a stored decision (``VMAllocation/json``): its host,
    /// VM, slice and interface rows, and, with `joiningCluster`, its place among its cluster's
    /// computes (`add host vm cluster=`; `add cluster` stores its computes in the cluster row).
    mutating func putVM(stored: JSONBytes, joiningCluster: Bool) throws {
        // Each object is read once, its fields asked for in canonical order.
        var allocation = stored.members
        guard let hostRow = allocation("host"), let interfaceRows = allocation("interfaces")?.elementSequence,
              let vmRow = allocation("vm")
        else { throw DomainError("a VM allocation in a decision is malformed") }
        var hostField = hostRow.members, vmField = vmRow.members
        let cluster = vmField("cluster")
        guard let host = hostField("name"), let container = vmField("container"), let vm = vmField("name"),
              let slice = vmField("slice")?.integerValue, host.isString, container.isString, vm.isString
        else { throw DomainError("a VM allocation in a decision is malformed") }
        add(.put, .hosts, key: { Self.appendText(host, to: &$0) }, value: { $0.append(contentsOf: hostRow.raw) })
        add(.put, .vms, key: { Self.appendText(vm, to: &$0) }, value: { $0.append(contentsOf: vmRow.raw) })
        // `<container>/<slice>` → the VM's name, whose stored JSON is its row.
        add(.put, .containerSlices, key: { arena in
            Self.appendText(container, to: &arena)
            Allocator.appendSliceSuffix(slice, to: &arena)
        }, value: { $0.append(contentsOf: vm.raw) })
        for row in interfaceRows { try putInterface(stored: row) }
        if joiningCluster, let cluster, cluster.isString {
            add(.joinCluster, .clusters, key: { Self.appendText(cluster, to: &$0) }, value: { Self.appendText(host, to: &$0) })
        }
    }

    /// The allocation marks a decision moved, read from its bytes: an integer's bytes in
    /// canonical JSON are its encoding.
    mutating func putAllocationMarks(stored decision: JSONBytes) {
        for key in AllocationMarks.keys {
            if let mark = decision[key], mark.integerValue != nil { put(.settings, key: key, value: mark.raw) }
        }
    }
}
