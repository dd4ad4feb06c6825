import ArgumentParser
import Executors
import Ledger
import Projections

/// `rocks start host vm <vm...> [async=no|yes]`: records that the VMs should run, then (unless
/// async) creates missing disks, defines each domain if absent or different, and starts it.
struct StartHostVM: RocksCommand {
    static let configuration = CommandConfiguration(
        commandName: "vm", abstract: "Start VMs: create missing disks, define the domain if absent or changed, start it.",
        discussion: "rocks start host vm <vm...> [async=no|yes]")
    static let grammar = Grammar(parameters: ["async"], hosts: .required("must supply at least one VM"))

    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []

    func execute(_ arguments: RocksArguments, in context: CommandContext) throws {
        let (appended, outcomes) = try LedgerSession.writing(context)
            .submit("start host vm", arguments.withHosts(), runningEffectsUnless: try arguments.runsAsync)
        guard let outcomes else { return reportAsync("start", appended, in: context) }
        for outcome in outcomes {
            let console = outcome.console.map { " (console \($0))" } ?? ""
            let note = outcome.message.map { ": \($0)" } ?? ""
            context.print("\(outcome.effect.vm): started on \(outcome.effect.container)\(console)\(note)")
        }
    }
}

/// `rocks stop host vm <vm...> [graceful=no|yes] [timeout=60] [async=no|yes]`: a hard stop by
/// default, as Rocks did; `graceful=yes` asks the guest first and stops it hard after `timeout`.
struct StopHostVM: RocksCommand {
    static let configuration = CommandConfiguration(
        commandName: "vm", abstract: "Stop VMs (hard by default; graceful=yes asks the guest first).",
        discussion: "rocks stop host vm <vm...> [graceful=no|yes] [timeout=60] [async=no|yes]")
    static let grammar = Grammar(parameters: ["graceful", "timeout", "async"], hosts: .required("must supply at least one VM"))

    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []

    func execute(_ arguments: RocksArguments, in context: CommandContext) throws {
        var args = arguments.withHosts()
        args["graceful"] = try arguments.bool("graceful", default: false) ? "yes" : nil
        let (appended, outcomes) = try LedgerSession.writing(context)
            .submit("stop host vm", args, runningEffectsUnless: try arguments.runsAsync)
        guard let outcomes else { return reportAsync("stop", appended, in: context) }
        for outcome in outcomes {
            context.print("\(outcome.effect.vm): stopped on \(outcome.effect.container)\(outcome.message.map { ": \($0)" } ?? "")")
        }
    }
}

/// What an `async=yes` start or stop leaves for the executor.
private func reportAsync(_ verb: String, _ appended: Appended, in context: CommandContext) {
    context.print("\(verb) recorded as record \(appended.sequence); run 'rocks run executor' to carry it out")
}

/// `rocks run executor [once=no|yes]`: carries out pending effects in order and records their
/// outcomes; without `once=yes` it keeps watching for new ones.
struct RunExecutor: RocksCommand {
    static let configuration = CommandConfiguration(
        commandName: "executor", abstract: "Carry out pending effects and record their outcomes.",
        discussion: "rocks run executor [once=no|yes] [interval=1] [wait=yes|no]   (one executor per ledger; a second waits for the first, or with wait=no says who holds it)")
    static let grammar = Grammar(parameters: ["once", "interval", "wait"])

    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []

    func execute(_ arguments: RocksArguments, in context: CommandContext) throws {
        let once = try arguments.bool("once", default: false)
        let waitForLock = try arguments.bool("wait", default: true)
        let interval = try arguments.integer("interval", default: 1, "interval must be whole seconds") ?? 1
        guard interval >= 1 else { throw CLIError("interval must be at least 1 second") }
        let session = try LedgerSession.writing(context)
        let executor = try session.executor()
        let waiting: (String) -> Void = { context.logger.notice("\($0)") }
        guard once else {
            // Runs until killed; its outcomes are in the ledger and its log.
            try executor.serve(interval: Double(interval), waitForLock: waitForLock, waiting: waiting) { outcome in
                context.logger.info("\(Self.describe(outcome))")
            }
        }
        for outcome in try executor.runPending(waitForLock: waitForLock, waiting: waiting) {
            context.print(Self.describe(outcome))
        }
    }

    static func describe(_ outcome: Executor.Outcome) -> String {
        let status = outcome.succeeded ? "succeeded" : "failed"
        let detail = outcome.message.map { ": \($0)" } ?? ""
        return "\(outcome.effect.id) \(outcome.effect.kind.rawValue) \(outcome.effect.vm) on \(outcome.effect.container): \(status)\(detail)"
    }
}

/// `rocks report host vm config <vm>`: the domain XML `start host vm` would define.
struct ReportHostVMConfig: RocksCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Print the domain XML that start would define for a VM.",
        discussion: "rocks report host vm config <vm>   (asks the VM's container whether it offers KVM)")
    static let grammar = Grammar(hosts: .required("must supply a VM"))

    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []

    func execute(_ arguments: RocksArguments, in context: CommandContext) throws {
        guard arguments.hosts.count == 1 else { throw CLIError("must supply exactly one VM") }
        let session = try LedgerSession.reading(context)
        context.write(try Executor.definition(of: arguments.hosts[0], ledger: session.ledger,
                                              configuration: context.executorConfiguration).xml)
    }
}
