import ArgumentParser

/// `rocks add host`: a physical host (a VM container or a compute node), as insert-ethers adds it.
struct AddHost: RocksCommand {
    static let configuration = CommandConfiguration(
        commandName: "plain",
        abstract: "Add a physical host.",
        discussion: """
            rocks add host [<name>] membership="VM Container" [mac=] [ip=] [rack=0] [rank=<next>] [cpus=1]

            The name defaults to <appliance>-<rack>-<rank> (vm-container-0-0); eth0 goes on the \
            private network at the next free address, with the MAC when one is given.
            """,
        shouldDisplay: false)
    static let grammar = Grammar(positional: ["name"], parameters: ["name", "membership", "mac", "ip", "rack", "rank", "cpus"])

    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []

    func execute(_ arguments: RocksArguments, in context: CommandContext) throws {
        _ = try arguments.required("membership", "must supply a membership")
        try LedgerSession.writing(context).submit("add host", arguments.parameters)
    }
}

/// `rocks add host interface`.
struct AddHostInterface: RocksCommand {
    static let configuration = CommandConfiguration(
        commandName: "interface",
        abstract: "Add a network interface to a host.",
        discussion: "rocks add host interface <host> <iface> [mac=] [ip=] [subnet=private|public] [vlan=] [module=] [name=]")
    static let grammar = Grammar(positional: ["iface"], parameters: ["iface", "mac", "ip", "subnet", "vlan", "module", "name"],
                                 hosts: .required("must supply a host"))

    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []

    func execute(_ arguments: RocksArguments, in context: CommandContext) throws {
        try LedgerSession.writing(context).submit("add host interface", try arguments.withHostAndInterface())
    }
}

/// `rocks add host vm`: one VM on each container named.
struct AddHostVM: RocksCommand {
    static let configuration = CommandConfiguration(
        commandName: "vm",
        abstract: "Add a VM to each container named.",
        discussion: """
            rocks add host vm <container...> membership=<m> [name=] [mem=1024] [cpus=1] [disksize=36] \
            [num-macs=1] [vlan=<n>[,<n>...]] [mac=] [ip=] [slice=] [macs=<mac>,<mac>...] [uuid=] [cluster=<frontend>]

            Prints 'added VM <name> on physical node <container>' for each VM. macs=, uuid= and \
            cluster= pin what 'rocks dump' reproduces.
            """)
    static let grammar = Grammar(
        positional: ["membership"],
        parameters: ["membership", "name", "mem", "cpus", "disksize", "num-macs", "vlan", "mac", "macs", "ip", "slice", "uuid", "cluster",
                     "virt-type"],
        hosts: .required("must supply at least one host"))

    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []

    func execute(_ arguments: RocksArguments, in context: CommandContext) throws {
        _ = try arguments.required("membership", "must supply a membership")
        var args = arguments.parameters
        args["hosts"] = arguments.hosts.joined(separator: " ")
        let appended = try LedgerSession.writing(context).submit("add host vm", args)
        for vm in appended.decision["vms"]?.arrayValue ?? [] {
            context.print("added VM \(vm["name"]?.stringValue ?? "?") on physical node \(vm["container"]?.stringValue ?? "?")")
        }
    }
}

/// `rocks add cluster`: a virtual frontend, its computes and their VLAN, in one record.
struct AddCluster: RocksCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster",
        abstract: "Add a virtual cluster: a VM frontend, its compute VMs and a VLAN.",
        discussion: """
            rocks add cluster <ip> <num-computes> [cpus-per-compute=1] [mem-per-compute=1024] \
            [disk-per-compute=36] [disk-per-frontend=36] [vlan=<lowest free>] [container-hosts="h1 h2"] \
            [fe-name=] [fe-container=<physical frontend>]

            Computes are placed round-robin over container-hosts, or over every VM container.
            """)
    static let grammar = Grammar(
        positional: ["ip", "num-computes"],
        parameters: ["ip", "num-computes", "cpus-per-compute", "mem-per-compute", "disk-per-compute", "disk-per-frontend",
                     "vlan", "container-hosts", "fe-name", "fe-container", "fe-macs", "virt-type"])

    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []

    func execute(_ arguments: RocksArguments, in context: CommandContext) throws {
        _ = try arguments.required("ip", "must supply an IP address for the frontend")
        _ = try arguments.required("num-computes", "must supply the number of compute nodes")
        let appended = try LedgerSession.writing(context).submit("add cluster", arguments.parameters)
        context.print("created frontend VM named: \(appended.decision["frontend"]?["name"]?.stringValue ?? "?")")
        for compute in appended.decision["computes"]?.arrayValue ?? [] {
            context.print("created compute VM named: \(compute["name"]?.stringValue ?? "?")")
        }
    }
}
