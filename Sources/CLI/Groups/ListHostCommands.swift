import ArgumentParser
import Ledger
import Projections
import Signing

struct ListHostCommands: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "host", abstract: "Show hosts and what they hold.",
        discussion: ListHost.grammar.usage("rocks list host"),
        subcommands: [ListHost.self, ListHostKey.self, ListHostInterface.self, ListHostVM.self, ListHostAttr.self, ListHostMACs.self], defaultSubcommand: ListHost.self)
}
