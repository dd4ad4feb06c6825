import RocksGrammar
import ArgumentParser

/// `rocks set host interface <field> <host> <iface> <value>`, one subcommand per field.
protocol SetHostInterfaceField: RequestCommand {
    static var field: String { get }
}

extension SetHostInterfaceField {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: field, abstract: "Set an interface's \(field).",
                             discussion: grammar.usage("rocks set host interface \(field)") + "   (none clears it)")
    }

    static var grammar: Grammar {
        Grammar(positional: ["iface", field], parameters: ["iface", field], hosts: .required("must supply a host", shown: "<host>"))
    }

    static var op: String { "set host interface " + field }

    static func request(_ arguments: RocksArguments) throws -> [String: String] {
        let args = try arguments.withHostAndInterface()
        guard arguments[field] != nil else { throw CLIError("must supply a \(field) (none clears it)") }
        return args
    }

    func execute(_ arguments: RocksArguments, in context: CommandContext) throws {
        try LedgerSession.writing(context).submit(Self.op, try Self.request(arguments))
    }
}
