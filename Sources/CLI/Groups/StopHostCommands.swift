import ArgumentParser
import Ledger
import Projections
import Signing

struct StopHostCommands: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "host", abstract: "Stop hosted VMs.", subcommands: [StopHostVM.self])
}
