import RocksGrammar
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
        let outcomes = try carryOut(appended)
        if let failure = outcomes.first(where: { !$0.succeeded }) { throw CLIError(failure.refusal) }
        return outcomes
    }

    /// Every outcome of the effects `appended` asked for, failed ones included.
    func carryOut(_ appended: Appended) throws -> [Executor.Outcome] {
        try executor().carryOut(record: appended.sequence) { [context] note in context.logger.notice("\(note)") }
    }
}

extension Executor.Outcome {
    /// What the operator is told of a failed effect: libvirt's words, and where they are kept.
    var refusal: String {
        "\(message ?? "\(effect.kind.rawValue) \(effect.vm) failed") (outcome recorded in record \(sequence))"
    }
}

/// Some VMs of a start or stop failed: the others' lines are printed as on success, and each
/// failure gets its own `error - <vm>: <reason>` line on stderr, with exit status 1. The one
/// exception to one error line per command: every VM named is accounted for.
struct VMFailures: Error {
    let lines: [String]
}

extension LedgerSession {
    /// A start or stop of several VMs, seen through: `line` for each success (on stdout),
    /// then every failure at once as ``VMFailures``.
    func reportPowerOutcomes(_ outcomes: [Executor.Outcome], _ line: (Executor.Outcome) -> String) throws {
        var failures: [String] = []
        for outcome in outcomes {
            if outcome.succeeded {
                context.print(line(outcome))
            } else {
                failures.append("\(outcome.effect.vm): \(outcome.refusal)")
            }
        }
        if !failures.isEmpty { throw VMFailures(lines: failures) }
    }
}

extension LedgerSession {
    /// Appends `op` and, unless `async=yes`, sees its effects through: their outcomes, or nil
    /// when they are left to `rocks run executor`.
    func submit(_ op: String, _ args: [String: String], runningEffectsUnless runsAsync: Bool) throws -> (Appended, [Executor.Outcome]?) {
        let appended = try submit(op, args)
        return (appended, runsAsync ? nil : try runEffects(of: appended))
    }

    /// ``submit(_:_:runningEffectsUnless:)`` for a start or stop: every outcome, failed ones
    /// included, for ``reportPowerOutcomes(_:_:)``.
    func submitPower(_ op: String, _ args: [String: String], runningEffectsUnless runsAsync: Bool) throws -> (Appended, [Executor.Outcome]?) {
        let appended = try submit(op, args)
        return (appended, runsAsync ? nil : try carryOut(appended))
    }
}

extension RocksArguments {
    /// `async=yes`: append the request and leave its effects to `rocks run executor`.
    var runsAsync: Bool {
        get throws { try bool("async", default: false) }
    }
}
