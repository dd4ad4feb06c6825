import ArgumentParser

/// `rocks set host boot|runaction|installaction <host...> <action>` (`action=` by name too).
protocol SetHostAction: RocksCommand {
    static var field: String { get }
}

extension SetHostAction {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: field, abstract: "Set a host's \(field).",
                             discussion: grammar.usage("rocks set host \(field)")
                                 + (field == "boot" ? "   (install or os)" : "   (e.g. os, install, \"install headless\")"))
    }

    static var grammar: Grammar { Grammar(positional: ["action"], parameters: ["action"], hosts: .required("must supply a host")) }

    func execute(_ arguments: RocksArguments, in context: CommandContext) throws {
        _ = try arguments.required("action", "must supply an action")
        try LedgerSession.writing(context).submit("set host " + Self.field, arguments.withHosts())
    }
}
