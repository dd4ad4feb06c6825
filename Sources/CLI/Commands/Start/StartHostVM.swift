import RocksGrammar
import ArgumentParser
import Executors
import Ledger
import Projections

/// `rocks start host vm <vm...> [async=no|yes]`: records that the VMs should run, then (unless
/// async) creates missing disks, defines each domain if absent or different, and starts it.
struct StartHostVM: RequestCommand {
    static let configuration = CommandConfiguration(
        commandName: "vm", abstract: "Start VMs: create missing disks, define the domain if absent or changed, start it.",
        discussion: "\(grammar.usage("rocks start host vm"))")
    static let grammar = Grammar(parameters: ["async=no|yes"], hosts: .required("must supply at least one VM", shown: "<vm...>"))

    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []

    static let op = "start host vm"

    static func request(_ arguments: RocksArguments) throws -> [String: String] {
        arguments.withHosts()
    }

    func execute(_ arguments: RocksArguments, in context: CommandContext) throws {
        let session = try LedgerSession.writing(context)
        let (appended, outcomes) = try session.submitPower(Self.op, try Self.request(arguments), runningEffectsUnless: try arguments.runsAsync)
        guard let outcomes else { return reportAsync("start", appended, in: context) }
        try session.reportPowerOutcomes(outcomes) { outcome in
            let console = outcome.console.map { " (console \($0))" } ?? ""
            let note = outcome.message.map { ": \($0)" } ?? ""
            return "\(outcome.effect.vm): started on \(outcome.effect.container)\(console)\(note)"
        }
    }
}
