import Ledger
import Signing

/// What a removal decided to take away: hosts (with their NICs, VM entry, slices, keys,
/// attributes), a virtual cluster, container VLAN rows, and the effects that must succeed
/// first. Names, addresses and the VLAN stay reserved until every effect has succeeded;
/// with no effects they go at once.
struct Removal: Sendable {
    var hosts: [String] = []
    var cluster: String?
    /// `<host>/<device>` rows to drop (a container's `vlanN`).
    var interfaces: [String] = []
    var effects: [Effect] = []
    /// The removed hosts' keys, out of force at once (listed so `verify` knows too).
    var revokedKeys: [KeyID] = []

    init() {}

    // MARK: The decision

    var json: JSONValue {
        .object(JSONObject(omittingNilValues: [
            "cluster": cluster.map { .string($0) }, "effects": .array(effects.map(\.requested)), "hosts": .array(hosts.map { .string($0) }),
            "interfaces": .array(interfaces.map { .string($0) }), "revoked-keys": .array(revokedKeys.map { .string($0.hex) }),
        ]))
    }

    init(_ decision: FieldReader, sequence: UInt64) throws {
        hosts = try decision.strings("hosts")
        cluster = try decision.optionalString("cluster")
        interfaces = try decision.strings("interfaces")
        effects = try Effect.requested(in: decision, sequence: sequence)
        revokedKeys = try decision.strings("revoked-keys").map { text in
            guard let id = KeyID(hex: text) else { throw decision.malformed("revoked-keys", "holds '\(text)', not a key id") }
            return id
        }
    }

    /// Notes the keys of the hosts this removal takes away; call once `hosts` is complete.
    mutating func revokeKeys(views: ViewStore, in txn: borrowing Transaction) throws {
        for host in hosts {
            revokedKeys += try views.scan(.hostKeys, prefix: host + "/", in: txn).compactMap { $0.1.stringValue.flatMap(KeyID.init(hex:)) }
        }
    }

    /// Plans the removal of a VM: stop it, undefine it, and delete its disks when asked.
    mutating func removeVM(_ vm: VirtualMachine, sequence: UInt64, deleteDisks: Bool) {
        hosts.append(vm.name)
        var kinds: [(Effect.Kind, VMDisk?)] = [(.stopVM, nil), (.undefineVM, nil)]
        if deleteDisks { kinds += vm.disks.map { (.deleteDisk, $0) } }
        for (kind, disk) in kinds {
            effects.append(Effect(id: EffectID(sequence: sequence, index: effects.count), kind: kind, vm: vm.name,
                                  container: vm.container, disk: disk))
        }
    }

    // MARK: The fold

    /// Folds the removal recorded by `sequence`: keys stop at once; the rest is released now
    /// if nothing is pending, else marked and released by the last successful outcome.
    func fold(sequence: UInt64, into views: ViewStore, in txn: borrowing Transaction) throws {
        for name in hosts { try Self.dropKeys(of: name, views: views, in: txn) }
        let pending = PendingRemoval(hosts: hosts, cluster: cluster, interfaces: interfaces, effects: effects.map(\.id))
        guard !effects.isEmpty else {
            try pending.release(views: views, in: txn)
            return
        }
        for name in hosts {
            guard var host = try views.row(.hosts, name, as: Host.self, in: txn) else { continue }
            host.removal = Int64(sequence)
            try views.put(.hosts, name, host, in: txn)
        }
        for effect in effects { try views.put(.effects, effect.id.description, effect, in: txn) }
        try views.put(.removals, String(zeroPadded: sequence, width: 20), pending, in: txn)
    }

    static func dropKeys(of host: String, views: ViewStore, in txn: borrowing Transaction) throws {
        for (index, keyID) in try views.scan(.hostKeys, prefix: host + "/", in: txn) {
            try views.delete(.hostKeys, index, in: txn)
            if let hex = keyID.stringValue { try views.delete(.keys, hex, in: txn) }
        }
    }
}
