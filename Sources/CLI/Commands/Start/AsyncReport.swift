import ArgumentParser
import Executors
import Ledger
import Projections

/// What an `async=yes` start or stop leaves for the executor.
func reportAsync(_ verb: String, _ appended: Appended, in context: CommandContext) {
    context.print("\(verb) recorded as record \(appended.sequence); run 'rocks run executor' to carry it out")
}
