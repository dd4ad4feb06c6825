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

    init(row: FieldReader) throws {
        let cluster = try row.optionalString("cluster")
        let effects = try row.strings("effects").map { text in
            guard let id = EffectID(text) else { throw row.malformed("effects", "holds '\(text)', not an effect id") }
            return id
        }
        try self.init(hosts: row.strings("hosts"), cluster: cluster, interfaces: row.strings("interfaces"), effects: effects)
    }

    /// Frees everything the removal took away.
    func release(views: ViewStore, in txn: borrowing Transaction) throws {
        let store = InterfaceStore(views: views)
        for name in hosts {
            for interface in try store.interfaces(of: name, in: txn) { try store.remove(interface, in: txn) }
            if let vm = try views.row(.vms, name, as: VirtualMachine.self, in: txn) {
                try views.delete(.containerSlices, Allocator.sliceKey(vm.container, vm.slice), in: txn)
                try views.delete(.vms, name, in: txn)
                try views.delete(.power, name, in: txn)
                try views.delete(.observations, name, in: txn)
            }
            for key in try views.keys(.attributes, prefix: name + "/", in: txn) { try views.delete(.attributes, key, in: txn) }
            for key in try views.keys(.networkDeployments, prefix: name + "/", in: txn) { try views.delete(.networkDeployments, key, in: txn) }
            try views.delete(.hosts, name, in: txn)
        }
        if let cluster { try views.delete(.clusters, cluster, in: txn) }
        for key in interfaces {
            if let interface = try views.row(.interfaces, key, as: Interface.self, in: txn) { try store.remove(interface, in: txn) }
        }
    }
}
