import RocksGrammar
import ArgumentParser
import Ledger

/// `rocks ledger rebuild`: drops every view and folds the log again.
struct LedgerRebuild: RocksCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebuild",
        abstract: "Empty every view and fold the whole log again, in one transaction.")
    static let grammar = Grammar()

    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []

    func execute(_ arguments: RocksArguments, in context: CommandContext) throws {
        let count = try LedgerSession.rebuilding(context).ledger.rebuild()
        context.print("rebuilt the views from \(count) records")
    }
}
