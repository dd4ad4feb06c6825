import ArgumentParser
import Ledger
import Projections
import Signing

struct AddHostCommands: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "host", abstract: "Add a host, or things to a host.",
        discussion: AddHost.grammar.usage("rocks add host"),
        subcommands: [AddHost.self, AddHostKey.self, AddHostInterface.self, AddHostVM.self], defaultSubcommand: AddHost.self)
}
