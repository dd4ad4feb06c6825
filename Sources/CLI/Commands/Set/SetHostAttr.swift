import RocksGrammar
import ArgumentParser

/// `rocks set host attr <host> <attr> <value>`.
struct SetHostAttr: RequestCommand {
    static let configuration = CommandConfiguration(commandName: "attr", abstract: "Set a host attribute.",
                                                    discussion: "\(grammar.usage("rocks set host attr"))   (e.g. libvirt_uri, vm_disk_pool)")
    static let grammar = Grammar(positional: ["attr", "value"], parameters: ["attr", "value"], hosts: .required("must supply a host", shown: "<host>"))

    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []

    static let op = "set host attr"

    static func request(_ arguments: RocksArguments) throws -> [String: String] {
        arguments.withHosts()
    }

    func execute(_ arguments: RocksArguments, in context: CommandContext) throws {
        try LedgerSession.writing(context).submit(Self.op, try Self.request(arguments))
    }
}
