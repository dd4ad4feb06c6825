import RocksGrammar
import ArgumentParser

/// `rocks set host cpus <host> <n>`.
struct SetHostCPUs: RequestCommand {
    static let configuration = CommandConfiguration(commandName: "cpus", abstract: "Set a host's CPU count.",
                                                    discussion: "\(grammar.usage("rocks set host cpus"))")
    static let grammar = Grammar(positional: ["cpus"], parameters: ["cpus=<n>"], hosts: .required("must supply a host", shown: "<host>"))

    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []

    static let op = "set host cpus"

    static func request(_ arguments: RocksArguments) throws -> [String: String] {
        arguments.withHosts()
    }

    func execute(_ arguments: RocksArguments, in context: CommandContext) throws {
        try LedgerSession.writing(context).submit(Self.op, try Self.request(arguments))
    }
}
