import RocksGrammar
import ArgumentParser
import Ledger
import Projections

/// `rocks remove host vm <vm...> [delete-disks=no|yes]`.
struct RemoveHostVM: RequestCommand {
    static let configuration = CommandConfiguration(
        commandName: "vm", abstract: "Remove VMs: stop, undefine, and with delete-disks=yes delete their disks.",
        discussion: "\(grammar.usage("rocks remove host vm"))")
    static let grammar = Grammar(parameters: ["delete-disks=no|yes", "async=no|yes"], hosts: .required("must supply at least one host", shown: "<vm...>"))

    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []

    static let op = "remove host vm"

    static func request(_ arguments: RocksArguments) throws -> [String: String] {
        try removalRequest(arguments)
    }

    func execute(_ arguments: RocksArguments, in context: CommandContext) throws {
        try submitRemoval(Self.self, arguments, in: context)
    }
}
