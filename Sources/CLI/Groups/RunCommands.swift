import ArgumentParser
import Ledger
import Projections
import Signing

struct RunCommands: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Run services.", subcommands: [RunExecutor.self])
}
