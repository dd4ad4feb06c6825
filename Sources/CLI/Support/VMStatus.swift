import RocksGrammar
import Executors
import Projections

/// A VM's desired power beside what its container says it is doing (`status=yes`).
struct VMStatus {
    let desired: String
    let observed: ObservedPower
}

extension RocksArguments {
    /// The deadline to observe within, or nil without `status=yes`. Observation is of now, so
    /// it cannot be combined with `at=`.
    func statusDeadline() throws -> Double? {
        guard try bool("status", default: false) else { return nil }
        guard self["at"] == nil else { throw CLIError("status=yes shows the VMs now: it cannot be combined with at=") }
        return Double(try integer("deadline", in: 1...300, default: 5, unit: "seconds"))
    }
}

extension LedgerSession {
    /// Asks every container holding one of `vms` what it is doing, all at once, each within
    /// `deadline` seconds; a silent container makes its VMs `unknown`.
    func status(of vms: [VirtualMachine], deadline: Double) throws -> [String: VMStatus] {
        let reader = self.reader
        let defaultURI = context.environment[LibvirtURI.environmentVariable]
        let (targets, desired) = try ledger.read { txn in
            let targets = try ObservationTarget.read(vms, reader: reader, defaultURI: defaultURI, in: txn)
            var desired: [String: String] = [:]
            for vm in vms { desired[vm.name] = try reader.desiredPower(of: vm.name, in: txn).rawValue }
            return (targets, desired)
        }
        let observed = StateObserver(deadline: deadline).observe(targets)
        var status: [String: VMStatus] = [:]
        for vm in vms { status[vm.name] = VMStatus(desired: desired[vm.name] ?? "off", observed: observed[vm.name] ?? .unknown) }
        return status
    }
}
