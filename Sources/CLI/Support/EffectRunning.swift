import Executors
import Ledger
import Projections

extension CommandContext {
    var executorLockPath: String { home + "/executor.lock" }

    var executorConfiguration: Executor.Configuration {
        Executor.Configuration(defaultURI: environment[LibvirtURI.environmentVariable])
    }
}

extension LedgerSession {
    /// The executor, signing outcomes with the frontend key.
    func executor() throws -> Executor {
        guard let frontend else { throw CLIError("this command was opened read-only") }
        return Executor(ledger: ledger, frontendKey: frontend, lockPath: context.executorLockPath,
                        configuration: context.executorConfiguration, logger: context.logger, clock: context.clock)
    }

    /// Sees the effects `appended` asked for through (running every pending effect, earlier
    /// ones first, or waiting for the executor already running), and returns their outcomes.
    /// The first that failed is the command's error: libvirt's refusal is recorded, and the
    /// operator hears it.
    @discardableResult
    func runEffects(of appended: Appended) throws -> [Executor.Outcome] {
        let outcomes = try executor().carryOut(record: appended.sequence) { [context] note in context.logger.notice("\(note)") }
        if let failure = outcomes.first(where: { !$0.succeeded }) {
            throw CLIError("\(failure.message ?? "\(failure.effect.kind.rawValue) \(failure.effect.vm) failed") (outcome recorded in record \(failure.sequence))")
        }
        return outcomes
    }
}

extension LedgerSession {
    /// Appends `op` and, unless `async=yes`, sees its effects through: their outcomes, or nil
    /// when they are left to `rocks run executor`.
    func submit(_ op: String, _ args: [String: String], runningEffectsUnless runsAsync: Bool) throws -> (Appended, [Executor.Outcome]?) {
        let appended = try submit(op, args)
        return (appended, runsAsync ? nil : try runEffects(of: appended))
    }
}

extension RocksArguments {
    /// `async=yes`: append the request and leave its effects to `rocks run executor`.
    var runsAsync: Bool {
        get throws { try bool("async", default: false) }
    }
}
