import ArgumentParser
import Ledger
import Projections
import Signing

struct RemoveCommands: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "remove", abstract: "Remove hosts, VMs, clusters and what hosts hold.",
                                                    subcommands: [RemoveHostCommands.self, RemoveCluster.self])
}
