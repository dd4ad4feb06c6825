import ArgumentParser

/// `rocks set host attr <host> <attr> <value>`.
struct SetHostAttr: RocksCommand {
    static let configuration = CommandConfiguration(commandName: "attr", abstract: "Set a host attribute.",
                                                    discussion: "\(grammar.usage("rocks set host attr"))   (e.g. libvirt_uri, vm_disk_pool)")
    static let grammar = Grammar(positional: ["attr", "value"], parameters: ["attr", "value"], hosts: .required("must supply a host", shown: "<host>"))

    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []

    func execute(_ arguments: RocksArguments, in context: CommandContext) throws {
        try LedgerSession.writing(context).submit("set host attr", arguments.withHosts())
    }
}
