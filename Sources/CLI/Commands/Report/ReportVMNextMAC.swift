import RocksGrammar
import ArgumentParser
import Projections

/// `rocks report vm nextmac`: the MAC the next VM NIC would get; nothing is reserved.
struct ReportVMNextMAC: RocksCommand {
    static let configuration = CommandConfiguration(commandName: "nextmac", abstract: "Print the MAC the next VM NIC would get.",
                                                    discussion: "\(grammar.usage("rocks report vm nextmac"))")
    static let grammar = Grammar(parameters: ["at=<seq or time>"])

    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []

    func execute(_ arguments: RocksArguments, in context: CommandContext) throws {
        let session = try LedgerSession.reading(context)
        context.print(try session.views(at: arguments["at"]) { reader, txn in try reader.nextMAC(in: txn) }.description)
    }
}
