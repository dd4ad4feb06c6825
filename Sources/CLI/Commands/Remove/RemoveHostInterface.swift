import RocksGrammar
import ArgumentParser
import Ledger
import Projections

/// `rocks remove host interface <host> <iface>`.
struct RemoveHostInterface: RequestCommand {
    static let configuration = CommandConfiguration(
        commandName: "interface", abstract: "Remove a physical host's interface.", discussion: "\(grammar.usage("rocks remove host interface"))")
    static let grammar = Grammar(positional: ["iface"], parameters: ["iface"], hosts: .required("must supply a host", shown: "<host>"))

    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []

    static let op = "remove host interface"

    static func request(_ arguments: RocksArguments) throws -> [String: String] {
        try arguments.withHostAndInterface()
    }

    func execute(_ arguments: RocksArguments, in context: CommandContext) throws {
        try LedgerSession.writing(context).submit(Self.op, try Self.request(arguments))
    }
}
