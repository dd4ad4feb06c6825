import ArgumentParser
import Ledger
import Projections
import Signing

struct SetCommands: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "set", abstract: "Change hosts, VMs and interfaces.",
                                                    subcommands: [SetHostCommands.self, SetClusterCommands.self, SetAllocation.self])
}
