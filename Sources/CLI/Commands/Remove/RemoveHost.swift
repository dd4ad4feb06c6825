import ArgumentParser
import Ledger
import Projections

/// `rocks remove host <host...>`.
struct RemoveHost: RocksCommand {
    static let configuration = CommandConfiguration(
        commandName: "plain", abstract: "Remove hosts.",
        discussion: "\(grammar.usage("rocks remove host"))   (a container must hold no VMs)", shouldDisplay: false)
    static let grammar = Grammar(parameters: ["delete-disks=no|yes", "async=no|yes"], hosts: .required("must supply at least one host"))

    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []

    func execute(_ arguments: RocksArguments, in context: CommandContext) throws {
        try submitRemoval("remove host", arguments, in: context)
    }
}
