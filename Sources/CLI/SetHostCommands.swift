import ArgumentParser

/// `rocks set host cpus <host> <n>`.
struct SetHostCPUs: RocksCommand {
    static let configuration = CommandConfiguration(commandName: "cpus", abstract: "Set a host's CPU count.",
                                                    discussion: "rocks set host cpus <host> <n>")
    static let grammar = Grammar(positional: ["cpus"], parameters: ["cpus"], hosts: .required("must supply a host"))

    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []

    func execute(_ arguments: RocksArguments, in context: CommandContext) throws {
        try LedgerSession.writing(context).submit("set host cpus", arguments.withHosts())
    }
}

/// `rocks set host boot|runaction|installaction <host...> <action>` (`action=` by name too).
protocol SetHostAction: RocksCommand {
    static var field: String { get }
}

extension SetHostAction {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: field, abstract: "Set a host's \(field).",
                             discussion: field == "boot" ? "rocks set host boot <host...> action=install|os"
                                                 : "rocks set host \(field) <host...> <action>   (e.g. os, install, \"install headless\")")
    }

    static var grammar: Grammar { Grammar(positional: ["action"], parameters: ["action"], hosts: .required("must supply a host")) }

    func execute(_ arguments: RocksArguments, in context: CommandContext) throws {
        _ = try arguments.required("action", "must supply an action")
        try LedgerSession.writing(context).submit("set host " + Self.field, arguments.withHosts())
    }
}

struct SetHostBoot: SetHostAction {
    static let field = "boot"
    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []
}

struct SetHostRunAction: SetHostAction {
    static let field = "runaction"
    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []
}

struct SetHostInstallAction: SetHostAction {
    static let field = "installaction"
    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []
}

/// `rocks set allocation <mark> <value>`: restores an allocation mark (what `rocks dump` ends with).
struct SetAllocation: RocksCommand {
    static let configuration = CommandConfiguration(
        commandName: "allocation", abstract: "Restore an allocation mark (last-mac, private-ip-frontier, ...).",
        discussion: "rocks set allocation <mark> <value>   (marks only move the safe way; see docs/ledger-format.md)")
    static let grammar = Grammar(positional: ["mark", "value"], parameters: ["mark", "value"])

    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []

    func execute(_ arguments: RocksArguments, in context: CommandContext) throws {
        _ = try arguments.required("mark", "must supply a mark")
        _ = try arguments.required("value", "must supply a value")
        try LedgerSession.writing(context).submit("set allocation", arguments.parameters)
    }
}

/// `rocks set host attr <host> <attr> <value>`.
struct SetHostAttr: RocksCommand {
    static let configuration = CommandConfiguration(commandName: "attr", abstract: "Set a host attribute.",
                                                    discussion: "rocks set host attr <host> <attr> <value>   (e.g. libvirt_uri, vm_disk_pool)")
    static let grammar = Grammar(positional: ["attr", "value"], parameters: ["attr", "value"], hosts: .required("must supply a host"))

    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []

    func execute(_ arguments: RocksArguments, in context: CommandContext) throws {
        try LedgerSession.writing(context).submit("set host attr", arguments.withHosts())
    }
}

/// `rocks remove host attr <host> <attr>`.
struct RemoveHostAttr: RocksCommand {
    static let configuration = CommandConfiguration(commandName: "attr", abstract: "Remove a host attribute.",
                                                    discussion: "rocks remove host attr <host> <attr>")
    static let grammar = Grammar(positional: ["attr"], parameters: ["attr"], hosts: .required("must supply a host"))

    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []

    func execute(_ arguments: RocksArguments, in context: CommandContext) throws {
        try LedgerSession.writing(context).submit("remove host attr", arguments.withHosts())
    }
}

/// `rocks set host vm <vm> [mem=] [disksize=] [disk=<pool>/<volume>] [physnode=] [slice=]`.
struct SetHostVM: RocksCommand {
    static let configuration = CommandConfiguration(
        commandName: "vm", abstract: "Change a VM's desired memory, disk, container or slice.",
        discussion: "rocks set host vm <vm> [mem=] [disksize=] [disk=<pool>/<volume>] [physnode=] [slice=]   (applied at the next start)")
    static let grammar = Grammar(parameters: ["mem", "disksize", "disk", "physnode", "slice", "uuid", "virt-type"], hosts: .required("must supply a host"))

    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []

    func execute(_ arguments: RocksArguments, in context: CommandContext) throws {
        if let type = arguments["virt-type"], type.lowercased() != "hvm" { throw CLIError("virt-type must be hvm: KVM runs only full virtualisation") }
        var args = arguments.withHosts()
        args["virt-type"] = nil
        try LedgerSession.writing(context).submit("set host vm", args)
    }
}

/// `rocks set host interface <field> <host> <iface> <value>`, one subcommand per field.
protocol SetHostInterfaceField: RocksCommand {
    static var field: String { get }
}

extension SetHostInterfaceField {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: field, abstract: "Set an interface's \(field).",
                             discussion: "rocks set host interface \(field) <host> <iface> <\(field)>")
    }

    static var grammar: Grammar {
        Grammar(positional: ["iface", field], parameters: ["iface", field], hosts: .required("must supply a host"))
    }

    func execute(_ arguments: RocksArguments, in context: CommandContext) throws {
        let args = try arguments.withHostAndInterface()
        guard arguments[Self.field] != nil else { throw CLIError("must supply a \(Self.field) (none clears it)") }
        try LedgerSession.writing(context).submit("set host interface " + Self.field, args)
    }
}

struct SetHostInterfaceIP: SetHostInterfaceField {
    static let field = "ip"
    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []
}

struct SetHostInterfaceMAC: SetHostInterfaceField {
    static let field = "mac"
    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []
}

struct SetHostInterfaceSubnet: SetHostInterfaceField {
    static let field = "subnet"
    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []
}

struct SetHostInterfaceName: SetHostInterfaceField {
    static let field = "name"
    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []
}

struct SetHostInterfaceVLAN: SetHostInterfaceField {
    static let field = "vlan"
    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []
}

struct SetHostInterfaceModule: SetHostInterfaceField {
    static let field = "module"
    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []
}
