import ArgumentParser
import Ledger

/// `rocks ledger checkpoint`: the frontend's latest signed statement of the head.
struct LedgerCheckpoint: RocksCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkpoint",
        abstract: "Print or save the latest signed checkpoint.",
        discussion: "\(grammar.usage("rocks ledger checkpoint"))   (keep it, then later: rocks ledger verify since=<path>)")
    static let grammar = Grammar(positional: ["file"], optionalPositional: ["file"], parameters: ["file=<path>"])

    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []

    func execute(_ arguments: RocksArguments, in context: CommandContext) throws {
        let checkpoint = try LedgerSession.reading(context).ledger.latestCheckpoint()
        let text = String(decoding: checkpoint.document, as: UTF8.self)
        if let file = arguments["file"] {
            try KeyFiles.writeAtomically(checkpoint.document + [UInt8(ascii: "\n")], to: file)
            context.print("checkpoint \(checkpoint.sequence) written to \(file)")
        } else {
            context.print(text)
        }
    }
}
