import RocksGrammar

/// A command line read by its command's grammar: how `rocks` reads every command line, and
/// how `rocks ledger sign` reads the command it signs. ArgumentParser only renders help.
package struct ParsedCommandLine {
    let type: any RocksCommand.Type
    let arguments: RocksArguments

    package var parameters: [String: String] { arguments.parameters }
    package var hosts: [String] { arguments.hosts }
    /// Every parameter name the command's grammar accepts, or nil when it accepts any.
    package var acceptedNames: [String]? { type.grammar.acceptsOtherParameters ? nil : type.grammar.names }

    /// The command the leading words name (a group's default command when they name a group
    /// that has one), and the rest read by that command's grammar; nil when the words name no
    /// command.
    package static func byGrammar(_ words: [String]) throws -> ParsedCommandLine? {
        var (found, wordCount) = RocksCLI.commandPath(words)
        if let plain = found.configuration.defaultSubcommand { found = plain }
        guard let type = found as? any RocksCommand.Type else { return nil }
        return ParsedCommandLine(type: type, arguments: try RocksArguments(Array(words.dropFirst(wordCount)), grammar: type.grammar))
    }

    /// What `rocks ledger sign <tokens>` would sign.
    package static func signedRequest(_ tokens: [String]) throws -> (op: String, args: [String: String]) {
        try LedgerSign.request(tokens)
    }

    /// The op and arguments of the request the command appends, for a command that appends
    /// one made from its command line alone; what `rocks ledger sign` signs.
    package func request() throws -> (op: String, args: [String: String])? {
        guard let requestCommand = type as? any RequestCommand.Type else { return nil }
        return (requestCommand.op, try requestCommand.request(arguments))
    }
}
