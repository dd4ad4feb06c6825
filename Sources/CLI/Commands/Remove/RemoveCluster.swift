import RocksGrammar
import ArgumentParser
import Ledger
import Projections

/// `rocks remove cluster <frontend> [delete-disks=no|yes]`.
struct RemoveCluster: RequestCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster", abstract: "Remove a virtual cluster: every VM stopped and undefined, then its VLAN freed.",
        discussion: "\(grammar.usage("rocks remove cluster"))")
    static let grammar = Grammar(parameters: ["delete-disks=no|yes", "async=no|yes"], hosts: .required("must supply at least one frontend name", shown: "<frontend>"))

    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []

    static let op = "remove cluster"

    static func request(_ arguments: RocksArguments) throws -> [String: String] {
        try removalRequest(arguments)
    }

    func execute(_ arguments: RocksArguments, in context: CommandContext) throws {
        try submitRemoval(Self.self, arguments, in: context)
    }
}
