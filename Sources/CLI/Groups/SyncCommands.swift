import ArgumentParser
import Ledger
import Projections
import Signing

struct SyncCommands: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sync", abstract: "Make hosts match the views.",
                                                    subcommands: [SyncHostCommands.self])
}
