import RocksGrammar
import ArgumentParser
import Executors
import Projections

/// `rocks sync host vm [vm...] [repair=no|yes] [deadline=5]`: compares what each VM's
/// container says it is doing with what the ledger wants, records every difference as an
/// observation, and with `repair=yes` starts or stops the VMs that differ. A VM whose
/// container does not answer is `unknown`, and `unknown` is never acted on.
struct SyncHostVM: RocksCommand {
    static let configuration = CommandConfiguration(
        commandName: "vm", abstract: "Record VMs that differ from the ledger's desired state; repair=yes starts or stops them.",
        discussion: "\(grammar.usage("rocks sync host vm"))   (unknown, from a container that does not answer, is left alone)")
    static let grammar = Grammar(parameters: ["repair=no|yes", "deadline=5"], hosts: .optional(shown: "[vm...]"))

    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []

    func execute(_ arguments: RocksArguments, in context: CommandContext) throws {
        let repair = try arguments.bool("repair", default: false)
        let deadline = try arguments.integer("deadline", in: 1...300, default: 5, unit: "seconds")
        let session = try LedgerSession.writing(context)
        let reader = session.reader
        let vms = try session.ledger.read { txn in
            try reader.hosts(arguments.hosts, in: txn).filter(\.isVM).compactMap { try reader.vm($0.name, in: txn) }
        }.sorted { $0.name < $1.name }
        // Desired state is read after this point: a repair is refused if it changed since.
        let observedAt = try session.ledger.head().sequence
        let status = try session.status(of: vms, deadline: Double(deadline))

        var drifted: [String: [String]] = [:]
        var unknown = 0
        for vm in vms {
            guard let vmStatus = status[vm.name], vmStatus.observed.rawValue != vmStatus.desired else { continue }
            if vmStatus.observed == .unknown {
                unknown += 1
                context.print("\(vm.name): desired \(vmStatus.desired), observed unknown (\(vm.container) did not answer within \(deadline) s): left alone")
                continue
            }
            let appended = try session.submitAsFrontend("record observation", ["vm": vm.name, "observed": vmStatus.observed.rawValue])
            context.print("\(vm.name): desired \(vmStatus.desired), observed \(vmStatus.observed.rawValue) (recorded in record \(appended.sequence))")
            drifted[vmStatus.desired, default: []].append(vm.name)
        }
        let count = drifted.values.map(\.count).reduce(0, +)
        context.print("\(vms.count) VM(s) checked: \(count) differ from the ledger, \(unknown) unknown")
        guard repair else { return }
        for (desired, op, verb) in [("on", "start host vm", "started"), ("off", "stop host vm", "stopped")] {
            guard let names = drifted[desired] else { continue }
            let appended = try session.submit(op, ["hosts": names.joined(separator: " "), "desired-as-of": String(observedAt)])
            for outcome in try session.runEffects(of: appended) {
                context.print("\(outcome.effect.vm): \(verb) on \(outcome.effect.container) (repair, record \(appended.sequence))")
            }
        }
    }
}
