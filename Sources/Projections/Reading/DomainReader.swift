import Ledger
import Signing

/// Read-only questions the commands ask of the views, inside one read transaction.
public struct DomainReader: Sendable {
    let views: ViewStore

    /// A reader of the live views.
    public init(environment: LMDBEnvironment) {
        views = .live(environment)
    }

    /// A reader of the views as they were right after record `sequence`: `at=` in the
    /// commands. It reads the same versioned rows as the live reader, so any depth of
    /// history costs what a live read costs.
    public init(environment: LMDBEnvironment, asOf sequence: UInt64) {
        views = ViewStore(environment: environment, sequence: sequence)
    }

    /// The same questions, asked by a decider of the views it is deciding against.
    init(views: ViewStore) {
        self.views = views
    }

    public func settings(in txn: borrowing Transaction) throws -> FrontendSettings {
        try views.settings(in: txn)
    }

    /// The named hosts, sorted (Rocks' `getHostnames`), or every host in the order it was added.
    public func hosts(_ names: [String], in txn: borrowing Transaction) throws -> [Host] {
        let resolver = HostResolver(views: views)
        if names.isEmpty { return try resolver.allHosts(in: txn).sorted { $0.order < $1.order } }
        return try resolver.resolve(names, in: txn)
    }

    /// A host's keys in Rocks' id order, or every host's (by name) when `names` is empty.
    public func hostKeys(_ names: [String], in txn: borrowing Transaction) throws -> [(host: String, key: KeyEntry)] {
        let resolver = HostResolver(views: views)
        var result: [(String, KeyEntry)] = []
        for host in try names.isEmpty ? resolver.allHosts(in: txn) : resolver.resolve(names, in: txn) {
            for (_, keyID) in try views.scan(.hostKeys, prefix: host.name + "/", in: txn) {
                guard let hex = keyID.stringValue, let entry = try views.row(.keys, hex, as: KeyEntry.self, in: txn) else { continue }
                result.append((host.name, entry))
            }
        }
        return result
    }

    /// Every visible row of `view` (newest version of each key, deletions left out), as
    /// stored bytes in key order: what an auditor compares between the live views and `at=`.
    public func rows(of view: View, in txn: borrowing Transaction) throws -> [(key: [UInt8], value: [UInt8])] {
        try views.storedRows(view, in: txn)
    }

    public func host(_ name: String, in txn: borrowing Transaction) throws -> Host? {
        try views.row(.hosts, name, as: Host.self, in: txn)
    }

    /// A host's interfaces, ordered by device.
    public func interfaces(of host: String, in txn: borrowing Transaction) throws -> [Interface] {
        try InterfaceStore(views: views).interfaces(of: host, in: txn)
    }

    public func vm(_ name: String, in txn: borrowing Transaction) throws -> VirtualMachine? {
        try views.row(.vms, name, as: VirtualMachine.self, in: txn)
    }

    public func cluster(_ frontend: String, in txn: borrowing Transaction) throws -> VirtualCluster? {
        try views.row(.clusters, frontend, as: VirtualCluster.self, in: txn)
    }

    /// The VMs with a NIC on `vlan`, in the order they were added.
    public func vms(onVLAN vlan: Int64, in txn: borrowing Transaction) throws -> [Host] {
        var names: Set<String> = []
        for key in try views.keys(.vlanUsers, prefix: InterfaceStore.vlanKey(vlan), in: txn) {
            let parts = key.split(separator: "/")
            if parts.count == 3 { names.insert(String(parts[1])) }
        }
        return try names.compactMap { try host($0, in: txn) }.filter(\.isVM).sorted { $0.order < $1.order }
    }

    /// A host's attributes as a dictionary, for looking one up.
    public func attributeMap(of host: String, in txn: borrowing Transaction) throws -> [String: String] {
        Dictionary(try attributes(of: host, in: txn), uniquingKeysWith: { $1 })
    }

    /// What a VM should be doing: what the last start or stop said, `off` before either.
    public func desiredPower(of vm: String, in txn: borrowing Transaction) throws -> VMPower.State {
        try power(of: vm, in: txn)?.desired ?? .off
    }

    /// A host's attributes, by name.
    public func attributes(of host: String, in txn: borrowing Transaction) throws -> [(name: String, value: String)] {
        try views.scan(.attributes, prefix: host + "/", in: txn).map { (String($0.0.dropFirst(host.count + 1)), $0.1.stringValue ?? "") }
    }

    /// What the last `sync host network` of `host` under `root` deployed, if any.
    public func networkDeployment(of host: String, root: String, in txn: borrowing Transaction) throws -> NetworkDeployment? {
        try views.row(.networkDeployments, NetworkDeployment.key(host, root), as: NetworkDeployment.self, in: txn)
    }

    /// What the VM should be doing, once a start or stop has been asked for.
    public func power(of vm: String, in txn: borrowing Transaction) throws -> VMPower? {
        try views.row(.power, vm, as: VMPower.self, in: txn)
    }

    /// The latest recorded observation of a VM that differed from its desired state.
    public func observation(of vm: String, in txn: borrowing Transaction) throws -> VMObservation? {
        try views.row(.observations, vm, as: VMObservation.self, in: txn)
    }

    /// Every VM, by name.
    public func allVMs(in txn: borrowing Transaction) throws -> [VirtualMachine] {
        try views.rows(.vms, as: VirtualMachine.self, in: txn)
    }

    /// Every effect records asked for, in order, with its outcome so far.
    public func effects(in txn: borrowing Transaction) throws -> [Effect] {
        try views.rows(.effects, as: Effect.self, in: txn)
    }

    /// The MAC the next allocation would hand out; nothing is reserved.
    public func nextMAC(in txn: borrowing Transaction) throws -> MACAddress {
        try Allocator(views: views, settings: settings(in: txn), context: nil).peekMAC(in: txn)
    }
}
