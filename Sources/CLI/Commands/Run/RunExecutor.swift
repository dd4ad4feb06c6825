import RocksGrammar
import ArgumentParser
import Executors
import Ledger
import Projections

/// `rocks run executor [once=no|yes]`: carries out pending effects in order and records their
/// outcomes; without `once=yes` it keeps watching for new ones.
struct RunExecutor: RocksCommand {
    static let configuration = CommandConfiguration(
        commandName: "executor", abstract: "Carry out pending effects and record their outcomes.",
        discussion: "\(grammar.usage("rocks run executor"))   (one executor per ledger; a second waits for the first, or with wait=no says who holds it)")
    static let grammar = Grammar(parameters: ["once=no|yes", "interval=1", "wait=yes|no"])

    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []

    func execute(_ arguments: RocksArguments, in context: CommandContext) throws {
        let once = try arguments.bool("once", default: false)
        let waitForLock = try arguments.bool("wait", default: true)
        let interval = try arguments.integer("interval", in: 1...3600, default: 1, unit: "seconds")
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
