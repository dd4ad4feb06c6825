import RocksGrammar
import ArgumentParser

/// `rocks set host boot|runaction|installaction <host...> <action>` (`action=` by name too).
protocol SetHostAction: RequestCommand {
    static var field: String { get }
}

extension SetHostAction {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: field, abstract: "Set a host's \(field).",
                             discussion: grammar.usage("rocks set host \(field)")
                                 + (field == "boot" ? "   (install or os)" : "   (e.g. os, install, \"install headless\")"))
    }

    static var grammar: Grammar { Grammar(positional: ["action"], parameters: ["action"], hosts: .required("must supply a host")) }

    static var op: String { "set host " + field }

    static func request(_ arguments: RocksArguments) throws -> [String: String] {
        _ = try arguments.required("action", "must supply an action")
        return arguments.withHosts()
    }

    func execute(_ arguments: RocksArguments, in context: CommandContext) throws {
        try LedgerSession.writing(context).submit(Self.op, try Self.request(arguments))
    }
}
