import RocksGrammar
import ArgumentParser

/// `rocks add host interface`.
struct AddHostInterface: RequestCommand {
    static let configuration = CommandConfiguration(
        commandName: "interface",
        abstract: "Add a network interface to a host.",
        discussion: "\(grammar.usage("rocks add host interface"))")
    static let grammar = Grammar(positional: ["iface"], parameters: ["iface", "mac", "ip", "subnet=private|public", "vlan",
                                                                     "module", "name"],
                                 hosts: .required("must supply a host", shown: "<host>"))

    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []

    static let op = "add host interface"

    static func request(_ arguments: RocksArguments) throws -> [String: String] {
        try arguments.withHostAndInterface()
    }

    func execute(_ arguments: RocksArguments, in context: CommandContext) throws {
        try LedgerSession.writing(context).submit(Self.op, try Self.request(arguments))
    }
}
