import ArgumentParser
import Ledger
import Projections

/// `rocks remove host vm <vm...> [delete-disks=no|yes]`.
struct RemoveHostVM: RocksCommand {
    static let configuration = CommandConfiguration(
        commandName: "vm", abstract: "Remove VMs: stop, undefine, and with delete-disks=yes delete their disks.",
        discussion: "\(grammar.usage("rocks remove host vm"))")
    static let grammar = Grammar(parameters: ["delete-disks=no|yes", "async=no|yes"], hosts: .required("must supply at least one host", shown: "<vm...>"))

    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []

    func execute(_ arguments: RocksArguments, in context: CommandContext) throws {
        try submitRemoval("remove host vm", arguments, in: context)
    }
}
