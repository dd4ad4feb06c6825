import Ledger
import Signing

/// Changes live host `name` in the views, for the `set host …` folds. A change that leaves
/// the host as it was writes no new version: `set host vm mem=` does not touch the host, and
/// versions nobody can tell apart would only lengthen every scan of the hosts.
func updateHost(_ name: String, views: ViewStore, in txn: borrowing Transaction, _ change: (inout Host) -> Void) throws {
    guard let before = try views.row(.hosts, name, as: Host.self, in: txn) else {
        throw DomainError("host \(name) is not in the views")
    }
    var host = before
    change(&host)
    guard host != before else { return }
    try views.put(.hosts, name, host, in: txn)
}

private func oneHost(_ request: RequestEnvelope, views: ViewStore, in txn: borrowing Transaction) throws -> Host {
    let names = request.list("hosts")
    guard !names.isEmpty else { throw DomainError("must supply a host") }
    guard names.count == 1 else { throw DomainError("must supply only one host") }
    return try HostResolver(views: views).resolveOne(names[0], in: txn)
}

/// `rocks set host cpus <host> <n>`.
struct SetHostCPUsOperation: Operation {
    let op = "set host cpus"

    func authorize(_ signer: KeyEntry, _ request: RequestEnvelope, views: ViewStore, in txn: borrowing Transaction) throws -> Authorization {
        .role(signer, in: [.admin], for: request)
    }

    func decide(_ request: RequestEnvelope, context: AppendContext, views: ViewStore, in txn: borrowing Transaction) throws -> JSONValue {
        let host = try oneHost(request, views: views, in: txn)
        _ = try request.argument("cpus", missing: "must supply the number of CPUs")
        let cpus = try request.number(.cpus(), default: 1)!
        return Decision(host: host.name, cpus: cpus).json
    }

    /// The host and its new count.
    struct Decision: Sendable {
        let host: String
        let cpus: Int64

        var json: JSONValue { ["host": .string(host), "cpus": .integer(cpus)] }
    }

    func prepare(_ record: Record) throws -> Decision { try FieldReader.read(record, Decision.init) }

    func fold(_ change: Decision, record: Record, into views: ViewStore, in txn: borrowing Transaction) throws {
        try updateHost(change.host, views: views, in: txn) { $0.cpus = change.cpus }
    }

    func keysIntroduced(by record: Record) throws -> [PublicKey] { [] }

    func keysRevoked(by record: Record) throws -> [KeyID] { [] }
}

/// `rocks set host boot|runaction|installaction <host...> <action>`: which of the two the
/// next boot uses (`install` or `os`), and what a host boots into normally and when
/// installing (Rocks' boot actions, e.g. `os`, `install headless`).
struct SetHostActionOperation: Operation {
    let field: String
    /// The actions allowed, or nil for any boot-action name.
    let choices: [String]?
    var op: String { "set host " + field }

    func authorize(_ signer: KeyEntry, _ request: RequestEnvelope, views: ViewStore, in txn: borrowing Transaction) throws -> Authorization {
        .role(signer, in: [.admin], for: request)
    }

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
        return Decision(hosts: hosts.map(\.name), action: action).json
    }

    /// The hosts and the action they get.
    struct Decision: Sendable {
        let hosts: [String]
        let action: String

        var json: JSONValue { ["hosts": .array(hosts.map { .string($0) }), "action": .string(action)] }
    }

    func prepare(_ record: Record) throws -> Decision { try FieldReader.read(record, Decision.init) }

    func fold(_ change: Decision, record: Record, into views: ViewStore, in txn: borrowing Transaction) throws {
        for name in change.hosts {
            try updateHost(name, views: views, in: txn) { host in
                switch field {
                case "boot": host.bootAction = change.action
                case "runaction": host.runAction = change.action
                default: host.installAction = change.action
                }
            }
        }
    }

    func keysIntroduced(by record: Record) throws -> [PublicKey] { [] }

    func keysRevoked(by record: Record) throws -> [KeyID] { [] }
}

/// `rocks set host attr <host> <attr> <value>` and `rocks remove host attr <host> <attr>`.
struct HostAttributeOperation: Operation {
    let op: String
    let removes: Bool

    func authorize(_ signer: KeyEntry, _ request: RequestEnvelope, views: ViewStore, in txn: borrowing Transaction) throws -> Authorization {
        .role(signer, in: [.admin], for: request)
    }

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
        var attributes: [String: String] = [:]
        for (key, value) in try views.scan(.attributes, prefix: host.name + "/", in: txn) {
            attributes[String(key.dropFirst(host.name.utf8.count + 1))] = value.stringValue
        }
        let value: String?
        if removes {
            guard attributes[name] != nil else { throw DomainError("attribute \"\(name)\" doesn't exist for host \(host.name)") }
            value = nil
        } else {
            value = try request.argument("value", missing: "must supply a value")
            guard value!.utf8.count <= 4096 else { throw DomainError("an attribute value is at most 4096 bytes") }
        }
        attributes[name] = value
        try HostAttributes.check(attributes, changed: name)
        return Decision(host: host.name, attribute: name, value: value).json
    }

    /// The host, the attribute, and its new value (nil for a removal).
    struct Decision: Sendable {
        let host: String
        let attribute: String
        let value: String?

        var json: JSONValue {
            .object(JSONObject(omittingNilValues: ["host": .string(host), "attr": .string(attribute), "value": value.map { .string($0) }]))
        }
    }

    func prepare(_ record: Record) throws -> Decision {
        let change = try FieldReader.read(record, Decision.init)
        guard removes == (change.value == nil) else {
            throw DomainError("record \(record.sequence) holds a '\(op)' decision \(removes ? "with" : "without") a value")
        }
        return change
    }

    func fold(_ change: Decision, record: Record, into views: ViewStore, in txn: borrowing Transaction) throws {
        let key = change.host + "/" + change.attribute
        if let value = change.value {
            try views.put(.attributes, key, .string(value), in: txn)
        } else {
            try views.delete(.attributes, key, in: txn)
        }
    }

    func keysIntroduced(by record: Record) throws -> [PublicKey] { [] }

    func keysRevoked(by record: Record) throws -> [KeyID] { [] }
}

/// `rocks set host vm <vm> [mem=] [disksize=] [disk=<pool>/<volume>] [physnode=] [slice=]`:
/// the VM's desired shape; executors apply it at the next start.
struct SetHostVMOperation: Operation {
    let op = "set host vm"

    func authorize(_ signer: KeyEntry, _ request: RequestEnvelope, views: ViewStore, in txn: borrowing Transaction) throws -> Authorization {
        .role(signer, in: [.admin], for: request)
    }

    func decide(_ request: RequestEnvelope, context: AppendContext, views: ViewStore, in txn: borrowing Transaction) throws -> JSONValue {
        let host = try oneHost(request, views: views, in: txn)
        guard host.isVM, let before = try views.row(.vms, host.name, as: VirtualMachine.self, in: txn) else {
            throw DomainError("host \(host.name) is not a VM")
        }
        var vm = before
        var allocator = Allocator(views: views, settings: try views.settings(in: txn), context: context)
        var carriers: [Int64] = []
        var placement = host
        if let uuid = try request.uuid() { vm.uuid = uuid }
        if let memory = try request.number(.memory()) { vm.memory = memory }
        if let size = try request.number(.diskSize()) { vm.disks[0].sizeGB = size }
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
                    carriers.append(vlan)
                }
            }
        }
        if let slice = try request.number(.slice) {
            guard let container = try views.row(.hosts, vm.container, as: Host.self, in: txn) else {
                throw DomainError("container \(vm.container) is not in the views")
            }
            if container.name != before.container || slice != before.slice { try allocator.claim(slice: slice, on: container, in: txn) }
            vm.slice = slice
        }
        let moved = vm.container != before.container || vm.slice != before.slice
        return SetHostVMDecision(vm: vm, from: moved ? (before.container, before.slice) : nil, rack: placement.rack, rank: placement.rank,
                                 carriedVLANs: carriers).json
    }

    /// The change, and the VM's new row.
    struct Prepared: Sendable {
        let change: SetHostVMDecision
        let row: [UInt8]
    }

    func prepare(_ record: Record) throws -> Prepared {
        let change = try FieldReader.read(record, SetHostVMDecision.init)
        return Prepared(change: change, row: change.vm.row)
    }

    func fold(_ prepared: Prepared, record: Record, into views: ViewStore, in txn: borrowing Transaction) throws {
        let change = prepared.change, vm = change.vm
        try views.putIfChanged(.vms, vm.name, encoded: prepared.row, in: txn)
        guard let (container, slice) = change.from else { return }
        try views.delete(.containerSlices, Allocator.sliceKey(container, slice), in: txn)
        try views.put(.containerSlices, Allocator.sliceKey(vm.container, vm.slice), .string(vm.name), in: txn)
        // A VM's rack and rank are its container's.
        try updateHost(vm.name, views: views, in: txn) { host in
            host.rack = change.rack
            host.rank = change.rank
        }
        let store = InterfaceStore(views: views)
        for vlan in change.carriedVLANs {
            try store.put(Interface(host: vm.container, device: "vlan\(vlan)", subnet: "private", vlan: vlan), in: txn)
        }
    }

    func keysIntroduced(by record: Record) throws -> [PublicKey] { [] }

    func keysRevoked(by record: Record) throws -> [KeyID] { [] }
}

/// What `set host vm` decided: the VM's whole shape as it is to be; where it was, if it
/// moved to another container or slice; its container's rack and rank; and the VLANs its
/// new container must now carry.
struct SetHostVMDecision: Sendable {
    let vm: VirtualMachine
    let from: (container: String, slice: Int64)?
    let rack: Int64
    let rank: Int64
    let carriedVLANs: [Int64]

    var json: JSONValue {
        var fields: JSONObject = ["vm": .object(vm.decidedFields), "rack": .integer(rack), "rank": .integer(rank),
                                  "carried-vlans": .array(carriedVLANs.map { .integer($0) })]
        if let from { fields["from"] = ["container": .string(from.container), "slice": .integer(from.slice)] }
        return .object(fields)
    }
}

extension SetHostVMDecision {
    init(_ decision: FieldReader) throws {
        let from = try decision.optionalObject("from").map { (container: try $0.string("container"), slice: try $0.integer("slice")) }
        self.init(vm: try VirtualMachine(decided: try decision.object("vm")), from: from, rack: try decision.integer("rack"),
                  rank: try decision.integer("rank"), carriedVLANs: try decision.integers("carried-vlans"))
    }
}

extension SetHostCPUsOperation.Decision {
    init(_ decision: FieldReader) throws {
        self.init(host: try decision.string("host"), cpus: try decision.integer("cpus"))
    }
}

extension SetHostActionOperation.Decision {
    init(_ decision: FieldReader) throws {
        self.init(hosts: try decision.strings("hosts"), action: try decision.string("action"))
    }
}

extension HostAttributeOperation.Decision {
    init(_ decision: FieldReader) throws {
        self.init(host: try decision.string("host"), attribute: try decision.string("attr"), value: try decision.optionalString("value"))
    }
}
