import Ledger
import Projections

/// One pending effect with what the views say, at the moment it runs, about its VM and the
/// container that runs it. Starts use today's desired shape (`set host vm` after the start
/// was asked for still counts), which is what "applied at the next start" means.
struct EffectWork {
    let effect: Effect
    let uri: String
    /// The VM's UUID in the ledger (its entry outlives a removal until the effects succeed).
    let uuid: String?
    /// For `start vm`: the VM, its host entry and NICs, and its container's links; nil when
    /// the VM is gone or being removed, and the start has nothing to do.
    let start: StartFacts?

    struct StartFacts {
        let vm: VirtualMachine
        let host: Host
        let interfaces: [Interface]
        let topology: NetworkTopology
        let uri: String

        /// The facts for starting `name`, or nil when it is removed or being removed.
        static func read(_ name: String, reader: DomainReader, uriOverride: String?, in txn: borrowing Transaction) throws -> StartFacts? {
            guard let host = try reader.host(name, in: txn), host.removal == nil else { return nil }
            guard let vm = try reader.vm(name, in: txn) else { throw ExecutorError("host \(name) is not a VM") }
            guard let container = try reader.host(vm.container, in: txn) else {
                throw ExecutorError("\(vm.name) names container \(vm.container), which does not exist")
            }
            let attributes = try reader.attributeMap(of: container.name, in: txn)
            let topology: NetworkTopology
            do {
                topology = try NetworkTopology(host: container, interfaces: try reader.interfaces(of: container.name, in: txn),
                                               settings: try reader.settings(in: txn), attributes: attributes)
            } catch {
                throw ExecutorError("\(vm.name) cannot run on \(container.name): \(error)")
            }
            // The VM may have moved since the start was asked for (`set host vm physnode=`).
            let uri = LibvirtURI.of(container: container.name, attributes: attributes, defaultOverride: uriOverride)
            return StartFacts(vm: vm, host: host, interfaces: try reader.interfaces(of: vm.name, in: txn), topology: topology, uri: uri)
        }
    }

    static func read(_ effect: Effect, reader: DomainReader, uriOverride: String?, in txn: borrowing Transaction) throws -> EffectWork {
        let vm = try reader.vm(effect.vm, in: txn)
        // Where the VM is now (it may have moved since the effect was asked for); where it
        // was, once its entry is gone.
        let container = vm?.container ?? effect.container
        let uri = LibvirtURI.of(container: container, attributes: try reader.attributeMap(of: container, in: txn), defaultOverride: uriOverride)
        let uuid = vm?.uuid
        guard effect.kind == .startVM else { return EffectWork(effect: effect, uri: uri, uuid: uuid, start: nil) }
        let facts = try StartFacts.read(effect.vm, reader: reader, uriOverride: uriOverride, in: txn)
        return EffectWork(effect: effect, uri: facts?.uri ?? uri, uuid: uuid, start: facts)
    }
}
