import ArgumentParser

/// `rocks set allocation <mark> <value>`: restores an allocation mark (what `rocks dump` ends with).
struct SetAllocation: RocksCommand {
    static let configuration = CommandConfiguration(
        commandName: "allocation", abstract: "Restore an allocation mark (last-mac, private-ip-frontier, ...).",
        discussion: "\(grammar.usage("rocks set allocation"))   (marks only move the safe way; see docs/ledger-format.md)")
    static let grammar = Grammar(positional: ["mark", "value"], parameters: ["mark", "value"])

    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []

    func execute(_ arguments: RocksArguments, in context: CommandContext) throws {
        _ = try arguments.required("mark", "must supply a mark")
        _ = try arguments.required("value", "must supply a value")
        try LedgerSession.writing(context).submit("set allocation", arguments.parameters)
    }
}
