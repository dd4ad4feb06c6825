import ArgumentParser
import Ledger
import Projections

/// `rocks remove host interface <host> <iface>`.
struct RemoveHostInterface: RocksCommand {
    static let configuration = CommandConfiguration(
        commandName: "interface", abstract: "Remove a physical host's interface.", discussion: "\(grammar.usage("rocks remove host interface"))")
    static let grammar = Grammar(positional: ["iface"], parameters: ["iface"], hosts: .required("must supply a host", shown: "<host>"))

    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []

    func execute(_ arguments: RocksArguments, in context: CommandContext) throws {
        try LedgerSession.writing(context).submit("remove host interface", try arguments.withHostAndInterface())
    }
}
