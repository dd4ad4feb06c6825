import ArgumentParser
import Ledger
import Projections
import Signing

struct AddCommands: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Add hosts, keys and clusters.",
                                                    subcommands: [AddHostCommands.self, AddCluster.self])
}
