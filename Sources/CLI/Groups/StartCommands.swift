import ArgumentParser
import Ledger
import Projections
import Signing

struct StartCommands: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "start", abstract: "Start VMs, or the Airboss.",
                                                    subcommands: [StartHostCommands.self, StartServiceCommands.self])
}
