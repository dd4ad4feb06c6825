import RocksGrammar
import ArgumentParser
import Executors
import Ledger
import Projections

/// `rocks stop host vm <vm...> [graceful=no|yes] [timeout=60] [async=no|yes]`: a hard stop by
/// default, as Rocks did; `graceful=yes` asks the guest first and stops it hard after `timeout`.
struct StopHostVM: RequestCommand {
    static let configuration = CommandConfiguration(
        commandName: "vm", abstract: "Stop VMs (hard by default; graceful=yes asks the guest first).",
        discussion: "\(grammar.usage("rocks stop host vm"))")
    static let grammar = Grammar(parameters: ["graceful=no|yes", "timeout=60", "async=no|yes"], hosts: .required("must supply at least one VM", shown: "<vm...>"))

    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []

    static let op = "stop host vm"

    static func request(_ arguments: RocksArguments) throws -> [String: String] {
        var args = arguments.withHosts()
        args["graceful"] = try arguments.bool("graceful", default: false) ? "yes" : nil
        return args
    }

    func execute(_ arguments: RocksArguments, in context: CommandContext) throws {
        let session = try LedgerSession.writing(context)
        let (appended, outcomes) = try session.submitPower(Self.op, try Self.request(arguments), runningEffectsUnless: try arguments.runsAsync)
        guard let outcomes else { return reportAsync("stop", appended, in: context) }
        try session.reportPowerOutcomes(outcomes) { outcome in
            "\(outcome.effect.vm): stopped on \(outcome.effect.container)\(outcome.message.map { ": \($0)" } ?? "")"
        }
    }
}
