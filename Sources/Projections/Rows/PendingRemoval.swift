import Ledger
import Signing

/// A removal waiting for its effects: the `removals` row, keyed by the record that asked.
struct PendingRemoval: Sendable {
    let hosts: [String]
    let cluster: String?
    let interfaces: [String]
    let effects: [EffectID]

    init(hosts: [String], cluster: String?, interfaces: [String], effects: [EffectID]) {
        (self.hosts, self.cluster, self.interfaces, self.effects) = (hosts, cluster, interfaces, effects)
    }

    /// The `removals` row.
    var row: [UInt8] {
        var row = CanonicalObjectWriter()
        row.member("cluster", cluster)
        row.member("effects", strings: effects.map(\.description))
        row.member("hosts", strings: hosts)
        row.member("interfaces", strings: interfaces)
        return row.finish()
    }

    init(json: JSONValue) throws {
        guard let hosts = json["hosts"]?.arrayValue, let interfaces = json["interfaces"]?.arrayValue,
              let effects = json["effects"]?.arrayValue
        else { throw DomainError("the removals view holds a malformed entry") }
        self.init(hosts: hosts.compactMap(\.stringValue), cluster: json["cluster"]?.stringValue,
                  interfaces: interfaces.compactMap(\.stringValue), effects: effects.compactMap { $0.stringValue.flatMap(EffectID.init) })
    }

    /// Frees everything the removal took away.
    func release(views: ViewStore, in txn: borrowing Transaction) throws {
        let store = InterfaceStore(views: views)
        for name in hosts {
            for interface in try store.interfaces(of: name, in: txn) { try store.remove(interface, in: txn) }
            if let vm = try views.get(.vms, name, in: txn).map(VirtualMachine.init(json:)) {
                try views.delete(.containerSlices, Allocator.sliceKey(vm.container, vm.slice), in: txn)
                try views.delete(.vms, name, in: txn)
                try views.delete(.power, name, in: txn)
                try views.delete(.observations, name, in: txn)
            }
            for (key, _) in try views.scan(.attributes, prefix: name + "/", in: txn) { try views.delete(.attributes, key, in: txn) }
            for (key, _) in try views.scan(.networkDeployments, prefix: name + "/", in: txn) { try views.delete(.networkDeployments, key, in: txn) }
            try views.delete(.hosts, name, in: txn)
        }
        if let cluster { try views.delete(.clusters, cluster, in: txn) }
        for key in interfaces {
            if let interface = try views.get(.interfaces, key, in: txn).map(Interface.init(json:)) { try store.remove(interface, in: txn) }
        }
    }
}
