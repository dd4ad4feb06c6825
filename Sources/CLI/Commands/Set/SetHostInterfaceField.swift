import ArgumentParser

/// `rocks set host interface <field> <host> <iface> <value>`, one subcommand per field.
protocol SetHostInterfaceField: RocksCommand {
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

    func execute(_ arguments: RocksArguments, in context: CommandContext) throws {
        let args = try arguments.withHostAndInterface()
        guard arguments[Self.field] != nil else { throw CLIError("must supply a \(Self.field) (none clears it)") }
        try LedgerSession.writing(context).submit("set host interface " + Self.field, args)
    }
}
