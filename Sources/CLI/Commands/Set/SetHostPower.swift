import AirbossClient
import ArgumentParser
import RocksGrammar
import Signing

/// `rocks set host power <host|mac…> action=on|off|install key=… [airboss=localhost:8677]`:
/// an owner's power switch, sent to the Airboss as a signed request (seed §3.3.3).
struct SetHostPower: RocksCommand {
    static let configuration = CommandConfiguration(
        commandName: "power", abstract: "Power your VMs on or off, or reinstall them, through the Airboss.",
        discussion: "\(grammar.usage("rocks set host power"))   (hosts are MACs or host names)")
    static let grammar = Grammar(mandatory: ["action", "key"], parameters: ["action=on|off|install"] + OwnerCommands.connectionParameters + ["async=no|yes"],
                                 hosts: .required("must supply a host", shown: "<host|mac...>"))

    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []

    func execute(_ arguments: RocksArguments, in context: CommandContext) throws {
        let (client, key) = try context.ownerClient(arguments)
        for line in try OwnerCommands.setPower(arguments.hosts, arguments, cluster: false, client: client, key: key) { context.print(line) }
    }
}

/// `rocks set cluster power <frontend> action=on|off|install key=… [delay=1]`: every compute
/// of the cluster, never its frontend, starts spaced by `delay` seconds on the executor's side.
struct SetClusterPower: RocksCommand {
    static let configuration = CommandConfiguration(
        commandName: "power", abstract: "Power every compute of your cluster through the Airboss.",
        discussion: "\(grammar.usage("rocks set cluster power"))")
    static let grammar = Grammar(mandatory: ["action", "key"],
                                 parameters: ["action=on|off|install"] + OwnerCommands.connectionParameters + ["delay=<seconds>", "async=no|yes"],
                                 hosts: .required("must supply a host", shown: "<frontend>"))

    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []

    func execute(_ arguments: RocksArguments, in context: CommandContext) throws {
        guard arguments.hosts.count == 1 else { throw CLIError("must supply only one host") }
        let (client, key) = try context.ownerClient(arguments)
        for line in try OwnerCommands.setPower(arguments.hosts, arguments, cluster: true, client: client, key: key) { context.print(line) }
    }
}

/// `rocks list host macs <host> key=… [status=yes]`: the MACs of your cluster, with names.
struct ListHostMACs: RocksCommand {
    static let configuration = CommandConfiguration(
        commandName: "macs", abstract: "List your cluster's MACs and names through the Airboss.",
        discussion: "\(grammar.usage("rocks list host macs"))")
    static let grammar = Grammar(mandatory: ["key"], parameters: OwnerCommands.connectionParameters + ["status=no|yes"],
                                 hosts: .required("must supply a host", shown: "<host|mac>"))

    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []

    func execute(_ arguments: RocksArguments, in context: CommandContext) throws {
        guard arguments.hosts.count == 1 else { throw CLIError("must supply only one host") }
        let (client, key) = try context.ownerClient(arguments)
        for line in try OwnerCommands.listMACs(arguments.hosts[0], arguments, raw: false, client: client, key: key) { context.print(line) }
    }
}

extension CommandContext {
    /// The Airboss client and the owner's key an owner command's parameters name.
    func ownerClient(_ arguments: RocksArguments) throws -> (AirbossClient, PrivateKey) {
        let logger = self.logger
        let client = try OwnerCommands.client(arguments, environment: environment) { logger.notice("\($0)") }
        return (client, try OwnerCommands.key(arguments, passphrase: passphrasePrompt))
    }
}
