import ArgumentParser

/// `rocks set host vm <vm> [mem=] [disksize=] [disk=<pool>/<volume>] [physnode=] [slice=]`.
struct SetHostVM: RocksCommand {
    static let configuration = CommandConfiguration(
        commandName: "vm", abstract: "Change a VM's desired memory, disk, container or slice.",
        discussion: "\(grammar.usage("rocks set host vm"))   (applied at the next start)")
    static let grammar = Grammar(parameters: ["mem", "disksize", "disk=<pool>/<volume>", "physnode", "slice"], hidden: ["uuid", "virt-type"], hosts: .required("must supply a host", shown: "<vm>"))

    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []

    func execute(_ arguments: RocksArguments, in context: CommandContext) throws {
        if let type = arguments["virt-type"], type.lowercased() != "hvm" { throw CLIError("virt-type must be hvm: KVM runs only full virtualisation") }
        var args = arguments.withHosts()
        args["virt-type"] = nil
        try LedgerSession.writing(context).submit("set host vm", args)
    }
}
