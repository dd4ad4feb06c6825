import RocksGrammar
import ArgumentParser

/// `rocks remove host attr <host> <attr>`.
struct RemoveHostAttr: RequestCommand {
    static let configuration = CommandConfiguration(commandName: "attr", abstract: "Remove a host attribute.",
                                                    discussion: "\(grammar.usage("rocks remove host attr"))")
    static let grammar = Grammar(positional: ["attr"], parameters: ["attr"], hosts: .required("must supply a host", shown: "<host>"))

    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []

    static let op = "remove host attr"

    static func request(_ arguments: RocksArguments) throws -> [String: String] {
        arguments.withHosts()
    }

    func execute(_ arguments: RocksArguments, in context: CommandContext) throws {
        try LedgerSession.writing(context).submit(Self.op, try Self.request(arguments))
    }
}
