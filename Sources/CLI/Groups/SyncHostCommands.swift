import ArgumentParser
import Ledger
import Projections
import Signing

struct SyncHostCommands: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "host", abstract: "Make a host match the views.",
                                                    subcommands: [SyncHostNetwork.self, SyncHostVM.self])
}
