import RocksGrammar
import ArgumentParser

/// `rocks set host vm <vm> [mem=] [disksize=] [disk=<pool>/<volume>] [physnode=] [slice=]`.
struct SetHostVM: RequestCommand {
    static let configuration = CommandConfiguration(
        commandName: "vm", abstract: "Change a VM's desired memory, disk, container or slice.",
        discussion: "\(grammar.usage("rocks set host vm"))   (applied at the next start)")
    static let grammar = Grammar(parameters: ["mem", "disksize", "disk=<pool>/<volume>", "physnode", "slice"], hidden: ["uuid", "virt-type"], hosts: .required("must supply a host", shown: "<vm>"))

    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []

    static let op = "set host vm"

    static func request(_ arguments: RocksArguments) throws -> [String: String] {
        if let type = arguments["virt-type"], type.lowercased() != "hvm" { throw CLIError("virt-type must be hvm: KVM runs only full virtualisation") }
        var args = arguments.withHosts()
        args["virt-type"] = nil
        return args
    }

    func execute(_ arguments: RocksArguments, in context: CommandContext) throws {
        try LedgerSession.writing(context).submit(Self.op, try Self.request(arguments))
    }
}
