import ArgumentParser
import Ledger
import Projections
import Signing

struct StartHostCommands: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "host", abstract: "Start hosted VMs.", subcommands: [StartHostVM.self])
}
