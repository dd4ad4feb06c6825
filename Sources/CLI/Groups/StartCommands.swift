import ArgumentParser
import Ledger
import Projections
import Signing

struct StartCommands: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "start", abstract: "Start VMs.", subcommands: [StartHostCommands.self])
}
