import Ledger
import Signing

/// An interface as a decider decides it (`add host`, `add host interface`, `set host
/// interface`, the VLAN rows `add cluster` and `set host vm` give containers): the decision's
/// form, read and written here; the `interfaces` row is ``Interface``'s own.
extension Interface {
    /// What a decider sets of an interface (never its `options` or `channel`).
    var decided: JSONValue {
        var fields: JSONObject = ["host": .string(host), "device": .string(device)]
        for (key, text) in [("mac", mac?.description), ("ip", ip?.description), ("subnet", subnet), ("module", module), ("name", name)] {
            if let text { fields[key] = .string(text) }
        }
        if let vlan { fields["vlan"] = .integer(vlan) }
        return .object(fields)
    }

    init(decided decision: FieldReader) throws {
        // In the canonical order of the members, which the reader's lookups go fastest in.
        let device = try decision.string("device"), host = try decision.string("host"), ip = try decision.optionalIP("ip")
        let mac = try decision.optionalMAC("mac"), module = try decision.optionalString("module"), name = try decision.optionalString("name")
        self.init(host: host, device: device, mac: mac, ip: ip, subnet: try decision.optionalString("subnet"), module: module, name: name,
                  vlan: try decision.optionalInteger("vlan"))
    }
}

/// The allocation marks a decision moved: the `last-mac` high-water mark and the private-IP
/// frontier, written into the `settings` view by the fold.
struct AllocationMarks: Sendable {
    var lastMAC: Int64?
    var ipFrontier: Int64?

    init(_ allocator: Allocator) {
        lastMAC = allocator.lastMACIfChanged.map(Int64.init)
        ipFrontier = allocator.ipFrontierIfChanged.map(Int64.init)
    }

    /// `fields` with the marks added.
    func adding(to fields: JSONObject) -> JSONValue {
        var fields = fields
        if let lastMAC { fields[Allocator.lastMACKey] = .integer(lastMAC) }
        if let ipFrontier { fields[Allocator.ipFrontierKey] = .integer(ipFrontier) }
        return .object(fields)
    }

    init(_ decision: FieldReader) throws {
        lastMAC = try decision.optionalInteger("last-mac")
        ipFrontier = try decision.optionalInteger("private-ip-frontier")
    }

    func fold(into views: ViewStore, in txn: borrowing Transaction) throws {
        if let lastMAC { try views.put(.settings, Allocator.lastMACKey, .integer(lastMAC), in: txn) }
        if let ipFrontier { try views.put(.settings, Allocator.ipFrontierKey, .integer(ipFrontier), in: txn) }
    }
}

/// What `add host interface` and `set host interface` decide: the interface as it is to be,
/// replacing any row of the same host and device, and the allocation marks that moved.
struct InterfaceChange: Sendable {
    let interface: Interface
    let marks: AllocationMarks

    var json: JSONValue { marks.adding(to: ["interface": interface.decided]) }

    func fold(into views: ViewStore, in txn: borrowing Transaction) throws {
        try InterfaceStore(views: views).put(interface, in: txn)
        try marks.fold(into: views, in: txn)
    }
}

extension InterfaceChange {
    init(_ decision: FieldReader) throws {
        self.init(interface: try Interface(decided: try decision.object("interface")), marks: try AllocationMarks(decision))
    }
}
