import RocksGrammar
import ArgumentParser
import Executors

/// `rocks report host interface <host...> [format=ifcfg|iproute2]`: the network files a VM
/// container or the physical frontend needs, or the same topology as `ip` commands.
struct ReportHostInterface: RocksCommand {
    static let configuration = CommandConfiguration(
        commandName: "interface", abstract: "Print a container's or frontend's bridge and VLAN configuration.",
        discussion: """
            \(grammar.usage("rocks report host interface"))

            ifcfg (the default) prints RHEL network-scripts in <file name=...> blocks; iproute2 \
            prints a shell script of idempotent ip commands. Host attributes: bridge_stp, \
            bridge_forward_delay, bridge_tx_checksum, vlan_device (default p{dev}.{vlan}).
            """)
    static let grammar = Grammar(parameters: ["format=ifcfg|iproute2"], hosts: .required("must supply a host"))

    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []

    func execute(_ arguments: RocksArguments, in context: CommandContext) throws {
        let format = try arguments.choice("format", ["ifcfg", "iproute2"], default: "ifcfg")
        let session = try LedgerSession.reading(context)
        for network in try HostNetwork.read(arguments.hosts, session: session) {
            let topology = network.topology
            context.write(format == "iproute2" ? topology.iprouteScript : NetworkTopology.fileBlocks(topology.ifcfgFiles))
        }
    }
}
