import Ledger
import Signing

/// Changes live host `name` in the views, for the `set host …` folds. A change that leaves
/// the host as it was writes no new version: `set host vm mem=` does not touch the host, and
/// versions nobody can tell apart would only lengthen every scan of the hosts.
private func updateHost(_ name: String, views: ViewStore, in txn: borrowing Transaction, _ change: (inout Host) -> Void) throws {
    guard let before = try views.get(.hosts, name, in: txn).map(Host.init(json:)) else {
        throw DomainError("host \(name) is not in the views")
    }
    var host = before
    change(&host)
    guard host != before else { return }
    try views.put(.hosts, name, host.json, in: txn)
}

private func oneHost(_ request: RequestEnvelope, views: ViewStore, in txn: borrowing Transaction) throws -> Host {
    let names = request.list("hosts")
    guard !names.isEmpty else { throw DomainError("must supply a host") }
    guard names.count == 1 else { throw DomainError("must supply only one host") }
    return try HostResolver(views: views).resolveOne(names[0], in: txn)
}

/// Sets integer member `key` of host `name`'s row to `value` by editing its stored bytes:
/// canonical JSON with one integer changed is still canonical, and the row is not decoded and
/// encoded again (which was most of `set host cpus`'s fold). No new version when the row
/// already says so; a row without that integer is refused as ``Host/init(json:)`` refuses it.
private func setHostInteger(_ name: String, _ key: StaticString, to value: Int64, views: ViewStore, in txn: borrowing Transaction) throws {
    let edited = try views.withCurrent(.hosts, name, in: txn) { raw -> [UInt8]? in
        guard let raw, let rawBase = raw.baseAddress else { throw DomainError("host \(name) is not in the views") }
        guard let member = JSONBytes(raw)[key], let current = member.integerValue, let memberBase = member.raw.baseAddress else {
            throw Host.malformedRow
        }
        if current == value { return nil }
        let start = memberBase - rawBase
        var edited = Array(raw[..<start])
        edited.append(contentsOf: String(value).utf8)
        edited.append(contentsOf: raw[(start + member.raw.count)...])
        return edited
    }
    if let edited { try views.put(.hosts, name, encoded: edited, in: txn) }
}

/// `rocks set host cpus <host> <n>`.
struct SetHostCPUsOperation: PreparedOperation {
    let op = "set host cpus"
    let allowedRoles: Set<KeyEntry.Role> = [.admin]

    func decide(_ request: RequestEnvelope, context: AppendContext, views: ViewStore, in txn: borrowing Transaction) throws -> JSONValue {
        let host = try oneHost(request, views: views, in: txn)
        _ = try request.argument("cpus", missing: "must supply the number of CPUs")
        let cpus = try request.positive("cpus", default: 1, message: "cpus must be a positive integer")
        return .object(["host": .string(host.name), "cpus": .integer(cpus)])
    }

    /// The host and its new count, read from the stored decision.
    struct Prepared: Sendable {
        let host: String
        let cpus: Int64
    }

    func prepareFold(_ record: Record) throws -> Prepared {
        try record.withDecision { stored in
            var field = stored.members
            guard let cpus = field("cpus"), let host = field("host")?.stringValue else { throw malformed(record) }
            return Prepared(host: host, cpus: cpus.integerValue ?? 1)
        }
    }

    func fold(_ change: Prepared, record: Record, views: ViewStore, in txn: borrowing Transaction) throws {
        try setHostInteger(change.host, "cpus", to: change.cpus, views: views, in: txn)
    }
}

/// `rocks set host boot|runaction|installaction <host...> <action>`: which of the two the
/// next boot uses (`install` or `os`), and what a host boots into normally and when
/// installing (Rocks' boot actions, e.g. `os`, `install headless`).
struct SetHostActionOperation: Operation {
    let field: String
    /// The actions allowed, or nil for any boot-action name.
    let choices: [String]?
    var op: String { "set host " + field }
    let allowedRoles: Set<KeyEntry.Role> = [.admin]

    static let all = [
        SetHostActionOperation(field: "boot", choices: ["install", "os"]),
        SetHostActionOperation(field: "runaction", choices: nil),
        SetHostActionOperation(field: "installaction", choices: nil),
    ]

    func decide(_ request: RequestEnvelope, context: AppendContext, views: ViewStore, in txn: borrowing Transaction) throws -> JSONValue {
        let names = request.list("hosts")
        guard !names.isEmpty else { throw DomainError("must supply a host") }
        let action = try request.argument("action", missing: "must supply an action")
        if let choices {
            guard choices.contains(action) else { throw DomainError("action must be \(choices.joined(separator: " or ")), not '\(action)'") }
        } else {
            guard action.utf8.count <= 64, action.allSatisfy({ $0.isLetter || $0.isNumber || $0 == " " || $0 == "-" }) else {
                throw DomainError("\(field) must be a boot action name like os or \"install headless\"")
            }
        }
        let hosts = try HostResolver(views: views).resolve(names, in: txn)
        return .object(["hosts": .array(hosts.map { .string($0.name) }), "action": .string(action)])
    }

    func apply(_ request: RequestEnvelope, decision: JSONValue, record: Record, views: ViewStore, in txn: borrowing Transaction) throws {
        let action = try decision.decided("action").stringValue ?? ""
        for name in try decision.decided("hosts").arrayValue ?? [] {
            try updateHost(name.stringValue ?? "", views: views, in: txn) { host in
                switch field {
                case "boot": host.bootAction = action
                case "runaction": host.runAction = action
                default: host.installAction = action
                }
            }
        }
    }
}

/// `rocks set host attr <host> <attr> <value>` and `rocks remove host attr <host> <attr>`.
struct HostAttributeOperation: PreparedOperation {
    let op: String
    let allowedRoles: Set<KeyEntry.Role> = [.admin]
    let removes: Bool

    static let set = HostAttributeOperation(op: "set host attr", removes: false)
    static let remove = HostAttributeOperation(op: "remove host attr", removes: true)

    static func isValidName(_ name: String) -> Bool {
        guard let first = name.utf8.first, first != UInt8(ascii: "-"), first != UInt8(ascii: "."), name.utf8.count <= 64 else { return false }
        return name.utf8.allSatisfy { ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7a) || ($0 >= 0x30 && $0 <= 0x39) || [UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: ".")].contains($0) }
    }

    func decide(_ request: RequestEnvelope, context: AppendContext, views: ViewStore, in txn: borrowing Transaction) throws -> JSONValue {
        let host = try oneHost(request, views: views, in: txn)
        let name = try request.argument("attr", missing: "must supply an attribute")
        guard Self.isValidName(name) else { throw DomainError("attribute name \"\(name)\" is not valid (letters, digits, _ - .)") }
        if removes {
            guard try views.contains(.attributes, host.name + "/" + name, in: txn) else {
                throw DomainError("attribute \"\(name)\" doesn't exist for host \(host.name)")
            }
            return .object(["host": .string(host.name), "attr": .string(name)])
        }
        let value = try request.argument("value", missing: "must supply a value")
        guard value.utf8.count <= 4096 else { throw DomainError("an attribute value is at most 4096 bytes") }
        return .object(["host": .string(host.name), "attr": .string(name), "value": .string(value)])
    }

    /// The attribute's key, and the value's JSON as the decision holds it (nil for a removal).
    struct Prepared: Sendable {
        let key: String
        let value: [UInt8]?
    }

    func prepareFold(_ record: Record) throws -> Prepared {
        try record.withDecision { stored in
            guard let host = stored["host"]?.stringValue, let attr = stored["attr"]?.stringValue else {
                throw malformed(record)
            }
            if removes { return Prepared(key: host + "/" + attr, value: nil) }
            guard let value = stored["value"] else { throw malformed(record) }
            return Prepared(key: host + "/" + attr, value: Array(value.raw))
        }
    }

    func fold(_ attribute: Prepared, record: Record, views: ViewStore, in txn: borrowing Transaction) throws {
        if let value = attribute.value {
            try views.put(.attributes, attribute.key, encoded: value, in: txn)
        } else {
            try views.delete(.attributes, attribute.key, in: txn)
        }
    }
}

/// `rocks set host vm <vm> [mem=] [disksize=] [disk=<pool>/<volume>] [physnode=] [slice=]`:
/// the VM's desired shape; executors apply it at the next start.
struct SetHostVMOperation: PreparedOperation {
    let op = "set host vm"
    let allowedRoles: Set<KeyEntry.Role> = [.admin]

    func decide(_ request: RequestEnvelope, context: AppendContext, views: ViewStore, in txn: borrowing Transaction) throws -> JSONValue {
        let host = try oneHost(request, views: views, in: txn)
        guard host.isVM, let before = try views.get(.vms, host.name, in: txn).map(VirtualMachine.init(json:)) else {
            throw DomainError("host \(host.name) is not a VM")
        }
        var vm = before
        var allocator = Allocator(views: views, settings: try views.settings(in: txn), context: context)
        var carriers: [Interface] = []
        var placement = host
        if let uuid = try request.uuid() { vm.uuid = uuid }
        if let memory = try request.integer("mem", message: "\"mem\" parameter must be an integer") {
            guard memory > 0 else { throw DomainError("\"mem\" parameter must be a positive integer") }
            vm.memory = memory
        }
        if let size = try request.integer("disksize", message: "\"disksize\" values must be integers") {
            guard size > 0 else { throw DomainError("\"disksize\" values must be positive") }
            vm.disks[0].sizeGB = size
        }
        if let disk = request.args["disk"], !disk.isEmpty {
            let parts = disk.split(separator: "/", maxSplits: 1).map(String.init)
            guard parts.count == 2, HostAttributeOperation.isValidName(parts[0]), HostAttributeOperation.isValidName(parts[1]) else {
                throw DomainError("invalid disk specification \"\(disk)\": give <pool>/<volume>")
            }
            vm.disks[0].pool = parts[0]
            vm.disks[0].volume = parts[1]
        }
        let resolver = HostResolver(views: views)
        if let physnode = request.args["physnode"], !physnode.isEmpty {
            let matches = try resolver.resolve([physnode], in: txn)
            guard matches.count == 1 else { throw DomainError("too many physnodes. only supply one physnode") }
            let container = matches[0]
            guard !container.isVM else { throw DomainError("physnode \(container.name) is a VM; a VM cannot hold VMs") }
            if container.name != vm.container {
                vm.container = container.name
                // A VM's rack and rank are its container's, as when it was created.
                placement.rack = container.rack
                placement.rank = container.rank
                if request.args["slice"] == nil { vm.slice = try allocator.nextSlice(on: container, in: txn) }
                // The new container must carry the VM's VLANs, as `add cluster` arranges.
                let store = InterfaceStore(views: views)
                let carried = Set(try store.interfaces(of: container.name, in: txn).compactMap(\.vlan))
                for vlan in Set(try store.interfaces(of: vm.name, in: txn).compactMap(\.vlan)).subtracting(carried).sorted() where vlan > 0 {
                    carriers.append(Interface(host: container.name, device: "vlan\(vlan)", subnet: "private", vlan: vlan))
                }
            }
        }
        if let slice = try request.integer("slice", message: "slice must be an integer") {
            guard let container = try views.get(.hosts, vm.container, in: txn).map(Host.init(json:)) else {
                throw DomainError("container \(vm.container) is not in the views")
            }
            if container.name != before.container || slice != before.slice { try allocator.claim(slice: slice, on: container, in: txn) }
            vm.slice = slice
        }
        return .object(["vm": vm.json, "rack": .integer(placement.rack), "rank": .integer(placement.rank),
                        "container-vlans": .array(carriers.map(\.json))])
    }

    /// What folding one change needs, read from the stored decision on a rebuild's parsing
    /// thread. The VM's new row is the decision's own `vm` object (a decider stores
    /// ``VirtualMachine/json``), copied as it lies rather than decoded and encoded again.
    struct Change: Sendable {
        let name: String
        let container: String
        let slice: Int64
        let row: [UInt8]
        let rack: Int64
        let rank: Int64
        /// VLAN interfaces the VM's new container must now carry; usually none.
        let carriers: PreparedWrites
    }

    func prepareFold(_ record: Record) throws -> Change {
        try record.withDecision { stored in
            var field = stored.members
            guard let carriers = field("container-vlans")?.elements, let rack = field("rack")?.integerValue,
                  let rank = field("rank")?.integerValue, let vm = field("vm")
            else { throw malformed(record) }
            var vmField = vm.members
            guard let container = vmField("container")?.stringValue, let name = vmField("name")?.stringValue,
                  let slice = vmField("slice")?.integerValue
            else { throw malformed(record) }
            var carrierWrites = PreparedWrites()
            for carrier in carriers { try carrierWrites.putInterface(stored: carrier) }
            return Change(name: name, container: container, slice: slice, row: Array(vm.raw), rack: rack, rank: rank,
                          carriers: carrierWrites)
        }
    }

    func fold(_ change: Change, record: Record, views: ViewStore, in txn: borrowing Transaction) throws {
        // The VM's row as it stands, read in place: whether it changes at all, and where the
        // VM was if it moves. Only what changed gets a new version (see `updateHost`).
        let old = try views.withCurrent(.vms, change.name, in: txn) { raw -> (sameRow: Bool, movedFrom: (String, Int64)?)? in
            guard let raw else { return nil }
            if change.row.withUnsafeBytes({ raw.hasSameBytes(as: $0) }) { return (true, nil) }
            var field = JSONBytes(raw).members
            let container = field("container"), slice = field("slice")?.integerValue
            guard container?.isString(change.container) == true, slice == change.slice else {
                return (false, (container?.stringValue ?? "", slice ?? 0))
            }
            return (false, nil)
        }
        if old?.sameRow != true { try views.put(.vms, change.name, encoded: change.row, in: txn) }
        if old == nil || old?.movedFrom != nil {
            if let (container, slice) = old?.movedFrom { try views.delete(.containerSlices, Allocator.sliceKey(container, slice), in: txn) }
            try views.put(.containerSlices, Allocator.sliceKey(change.container, change.slice), .string(change.name), in: txn)
            // Rack and rank follow the container: the decider takes them from the new
            // container when the VM moves, and from the VM's own host row when it stays. So
            // only a VM that moved can need a new host row, and only then is the row read (for
            // a change of memory alone, reading it was a tenth of this fold).
            try updateHost(change.name, views: views, in: txn) { host in
                host.rack = change.rack
                host.rank = change.rank
            }
        }
        try change.carriers.apply(views: views, in: txn)
    }
}
