import ArgumentParser

/// `rocks set host cpus <host> <n>`.
struct SetHostCPUs: RocksCommand {
    static let configuration = CommandConfiguration(commandName: "cpus", abstract: "Set a host's CPU count.",
                                                    discussion: "\(grammar.usage("rocks set host cpus"))")
    static let grammar = Grammar(positional: ["cpus"], parameters: ["cpus=<n>"], hosts: .required("must supply a host", shown: "<host>"))

    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []

    func execute(_ arguments: RocksArguments, in context: CommandContext) throws {
        try LedgerSession.writing(context).submit("set host cpus", arguments.withHosts())
    }
}
