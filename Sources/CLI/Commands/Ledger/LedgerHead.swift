import RocksGrammar
import ArgumentParser
import Signing

/// `rocks ledger head`: the last sequence number and its digest.
struct LedgerHead: RocksCommand {
    static let configuration = CommandConfiguration(commandName: "head", abstract: "Print the last record's sequence number and digest.")
    static let grammar = Grammar()

    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []

    func execute(_ arguments: RocksArguments, in context: CommandContext) throws {
        let head = try LedgerSession.reading(context).ledger.head()
        context.print("\(head.sequence) \(Hex.encode(head.digest))")
    }
}
