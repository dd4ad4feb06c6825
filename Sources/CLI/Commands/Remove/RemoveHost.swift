import RocksGrammar
import ArgumentParser
import Ledger
import Projections

/// `rocks remove host <host...>`.
struct RemoveHost: RequestCommand {
    static let configuration = CommandConfiguration(
        commandName: "plain", abstract: "Remove hosts.",
        discussion: "\(grammar.usage("rocks remove host"))   (a container must hold no VMs)", shouldDisplay: false)
    static let grammar = Grammar(parameters: ["delete-disks=no|yes", "async=no|yes"], hosts: .required("must supply at least one host"))

    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []

    static let op = "remove host"

    static func request(_ arguments: RocksArguments) throws -> [String: String] {
        try removalRequest(arguments)
    }

    func execute(_ arguments: RocksArguments, in context: CommandContext) throws {
        try submitRemoval(Self.self, arguments, in: context)
    }
}
