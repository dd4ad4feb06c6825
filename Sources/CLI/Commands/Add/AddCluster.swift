import RocksGrammar
import ArgumentParser

/// `rocks add cluster`: a virtual frontend, its computes and their VLAN, in one record.
struct AddCluster: RequestCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster",
        abstract: "Add a virtual cluster: a VM frontend, its compute VMs and a VLAN.",
        discussion: """
            \(grammar.usage("rocks add cluster"))

            Computes are placed round-robin over container-hosts, or over every VM container.
            """)
    static let grammar = Grammar(
        positional: ["ip", "num-computes"],
        parameters: ["ip", "num-computes", "cpus-per-compute=1", "mem-per-compute=1024", "disk-per-compute=36", "disk-per-frontend=36",
                     "vlan=<lowest free>", "container-hosts=\"h1 h2\"", "fe-name", "fe-container=<physical frontend>"],
        hidden: ["fe-macs", "virt-type"])

    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []

    static let op = "add cluster"

    static func request(_ arguments: RocksArguments) throws -> [String: String] {
        _ = try arguments.required("ip", "must supply an IP address for the frontend")
        _ = try arguments.required("num-computes", "must supply the number of compute nodes")
        return arguments.parameters
    }

    func execute(_ arguments: RocksArguments, in context: CommandContext) throws {
        let appended = try LedgerSession.writing(context).submit(Self.op, try Self.request(arguments))
        context.print("created frontend VM named: \(appended.decision["frontend"]?["name"]?.stringValue ?? "?")")
        for compute in appended.decision["computes"]?.arrayValue ?? [] {
            context.print("created compute VM named: \(compute["name"]?.stringValue ?? "?")")
        }
    }
}
