import AirbossClient
import ArgumentParser
import RocksGrammar

/// `rocks open host console <host|mac…> key=… [viewer=yes|no]`: each VM's console on a port of
/// `127.0.0.1:5901…5999`, relayed through the Airboss under a signed grant (seed §6.5), until
/// interrupted. As `pilot open host console`.
struct OpenHostConsole: RocksCommand {
    static let configuration = CommandConfiguration(
        commandName: "console", abstract: "Open your VMs' consoles for a VNC viewer, through the Airboss.",
        discussion: "\(grammar.usage("rocks open host console"))   (a port per host; ctrl-C ends)")
    static let grammar = Grammar(mandatory: ["key"], parameters: OwnerCommands.connectionParameters + ["viewer=yes|no"],
                                 hosts: .required("must supply a host", shown: "<host|mac...>"))

    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []

    func execute(_ arguments: RocksArguments, in context: CommandContext) throws {
        let (client, key) = try context.ownerClient(arguments)
        let viewer = try arguments.bool("viewer", default: true)
        try ConsoleListener.serve(hosts: arguments.hosts, client: client, key: key, say: { context.print($0) }) { _, port in
            if viewer { ConsoleListener.startViewer(port: port) }
        }
    }
}
