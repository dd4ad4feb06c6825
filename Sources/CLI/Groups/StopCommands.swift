import ArgumentParser
import Ledger
import Projections
import Signing

struct StopCommands: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stop", abstract: "Stop VMs, or the Airboss.",
                                                    subcommands: [StopHostCommands.self, StopServiceCommands.self])
}
