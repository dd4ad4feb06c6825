import RocksGrammar
import ArgumentParser

/// `rocks add host vm`: one VM on each container named.
struct AddHostVM: RequestCommand {
    static let configuration = CommandConfiguration(
        commandName: "vm",
        abstract: "Add a VM to each container named.",
        discussion: """
            \(grammar.usage("rocks add host vm"))

            Prints 'added VM <name> on physical node <container>' for each VM. macs=, uuid= and \
            cluster= pin what 'rocks dump' reproduces.
            """)
    static let grammar = Grammar(
        positional: ["membership"],
        parameters: ["membership", "name", "mem=1024", "cpus=1", "disksize=36", "num-macs=1", "vlan=<n>[,<n>...]", "mac",
                     "macs=<mac>,<mac>...", "ip", "slice", "uuid", "cluster=<frontend>"], hidden: ["virt-type"],
        hosts: .required("must supply at least one host", shown: "<container...>"))

    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []

    static let op = "add host vm"

    static func request(_ arguments: RocksArguments) throws -> [String: String] {
        _ = try arguments.required("membership", "must supply a membership")
        var args = arguments.parameters
        args["hosts"] = arguments.hosts.joined(separator: " ")
        return args
    }

    func execute(_ arguments: RocksArguments, in context: CommandContext) throws {
        let appended = try LedgerSession.writing(context).submit(Self.op, try Self.request(arguments))
        for vm in appended.decision["vms"]?.arrayValue ?? [] {
            context.print("added VM \(vm["name"]?.stringValue ?? "?") on physical node \(vm["container"]?.stringValue ?? "?")")
        }
    }
}
