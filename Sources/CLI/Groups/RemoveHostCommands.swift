import ArgumentParser
import Ledger
import Projections
import Signing

struct RemoveHostCommands: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "host", abstract: "Remove a host, or things from a host.",
        discussion: RemoveHost.grammar.usage("rocks remove host"),
        subcommands: [RemoveHost.self, RemoveHostKey.self, RemoveHostVM.self, RemoveHostInterface.self, RemoveHostAttr.self],
        defaultSubcommand: RemoveHost.self)
}
