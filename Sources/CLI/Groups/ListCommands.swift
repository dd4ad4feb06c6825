import ArgumentParser
import Ledger
import Projections
import Signing

struct ListCommands: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Show the views.",
                                                    subcommands: [ListHostCommands.self, ListCluster.self])
}
