import RocksGrammar
import ArgumentParser

/// `rocks remove host key`: the key stops being accepted from the next record on.
struct RemoveHostKey: RequestCommand {
    static let configuration = CommandConfiguration(
        commandName: "key",
        abstract: "Remove a public key from a host.",
        discussion: "\(grammar.usage("rocks remove host key"))   (n as shown by 'rocks list host key')")
    static let grammar = Grammar(positional: ["id"], parameters: ["id=<n>"], hosts: .required("must supply a host", shown: "<host>"))

    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []

    static let op = "remove host key"

    static func request(_ arguments: RocksArguments) throws -> [String: String] {
        guard arguments.hosts.count == 1 else { throw CLIError("must supply only one host") }
        let id = try arguments.required("id", "must supply an ID for the key")
        return ["host": arguments.hosts[0], "id": id]
    }

    func execute(_ arguments: RocksArguments, in context: CommandContext) throws {
        try LedgerSession.writing(context).submit(Self.op, try Self.request(arguments))
    }
}
