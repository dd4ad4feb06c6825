import RocksGrammar
import ArgumentParser

/// `rocks set allocation <mark> <value>`: restores an allocation mark (what `rocks dump` ends with).
struct SetAllocation: RequestCommand {
    static let configuration = CommandConfiguration(
        commandName: "allocation", abstract: "Restore an allocation mark (last-mac, private-ip-frontier, ...).",
        discussion: "\(grammar.usage("rocks set allocation"))   (marks only move the safe way; see docs/ledger-format.md)")
    static let grammar = Grammar(positional: ["mark", "value"], parameters: ["mark", "value"])

    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []

    static let op = "set allocation"

    static func request(_ arguments: RocksArguments) throws -> [String: String] {
        _ = try arguments.required("mark", "must supply a mark")
        _ = try arguments.required("value", "must supply a value")
        return arguments.parameters
    }

    func execute(_ arguments: RocksArguments, in context: CommandContext) throws {
        try LedgerSession.writing(context).submit(Self.op, try Self.request(arguments))
    }
}
