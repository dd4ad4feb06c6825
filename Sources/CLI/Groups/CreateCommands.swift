import ArgumentParser
import Ledger
import Projections
import Signing

struct CreateCommands: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "create", abstract: "Create keys.", subcommands: [CreateKeys.self])
}
