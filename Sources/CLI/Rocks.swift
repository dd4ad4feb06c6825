import ArgumentParser
import Ledger
import Projections
import Signing

/// The `rocks` command line.
struct Rocks: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rocks",
        abstract: "Rocks KVM Roll virtual clusters, kept in a signed, hash-chained ledger.",
        discussion: """
            Every change is a request signed with $ROCKS_HOME/keys/admin.pem and appended to the \
            ledger in $ROCKS_HOME/ledger (ROCKS_HOME defaults to /var/lib/rocks). Parameters are \
            key=value, or positional in the order each command documents.
            """,
        subcommands: [Init.self, CreateCommands.self, AddCommands.self, SetCommands.self, ListCommands.self, RemoveCommands.self,
                      ReportCommands.self, SyncCommands.self, StartCommands.self, StopCommands.self, RunCommands.self, Dump.self,
                      LedgerCommands.self])
}

struct CreateCommands: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "create", abstract: "Create keys.", subcommands: [CreateKeys.self])
}

struct AddCommands: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Add hosts, keys and clusters.",
                                                    subcommands: [AddHostCommands.self, AddCluster.self])
}

struct AddHostCommands: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "host", abstract: "Add a host, or things to a host.",
        discussion: "rocks add host [<name>] membership=<m> [mac=] [ip=] [rack=0] [rank=<next>] [cpus=1]",
        subcommands: [AddHost.self, AddHostKey.self, AddHostInterface.self, AddHostVM.self], defaultSubcommand: AddHost.self)
}

struct ListCommands: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Show the views.",
                                                    subcommands: [ListHostCommands.self, ListCluster.self])
}

struct ListHostCommands: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "host", abstract: "Show hosts and what they hold.",
        discussion: "rocks list host [host...] [output-format=json]",
        subcommands: [ListHost.self, ListHostKey.self, ListHostInterface.self, ListHostVM.self, ListHostAttr.self], defaultSubcommand: ListHost.self)
}

struct RemoveCommands: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "remove", abstract: "Remove hosts, VMs, clusters and what hosts hold.",
                                                    subcommands: [RemoveHostCommands.self, RemoveCluster.self])
}

struct RemoveHostCommands: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "host", abstract: "Remove a host, or things from a host.",
        discussion: "rocks remove host <host...> [delete-disks=no|yes]",
        subcommands: [RemoveHost.self, RemoveHostKey.self, RemoveHostVM.self, RemoveHostInterface.self, RemoveHostAttr.self],
        defaultSubcommand: RemoveHost.self)
}

struct SetCommands: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "set", abstract: "Change hosts, VMs and interfaces.",
                                                    subcommands: [SetHostCommands.self, SetAllocation.self])
}

struct SetHostCommands: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "host", abstract: "Change a host.",
        subcommands: [SetHostCPUs.self, SetHostBoot.self, SetHostAttr.self, SetHostVM.self, SetHostInterfaceCommands.self,
                      SetHostRunAction.self, SetHostInstallAction.self])
}

struct SetHostInterfaceCommands: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "interface", abstract: "Change an interface.",
        subcommands: [SetHostInterfaceIP.self, SetHostInterfaceMAC.self, SetHostInterfaceSubnet.self, SetHostInterfaceName.self,
                      SetHostInterfaceVLAN.self, SetHostInterfaceModule.self])
}

struct ReportCommands: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report", abstract: "Print generated configuration.",
                                                    subcommands: [ReportHostCommands.self, ReportVMCommands.self])
}

struct ReportHostCommands: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "host", abstract: "Reports about hosts.",
                                                    subcommands: [ReportHostInterface.self, ReportHostVMCommands.self])
}

struct SyncCommands: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sync", abstract: "Make hosts match the views.",
                                                    subcommands: [SyncHostCommands.self])
}

struct SyncHostCommands: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "host", abstract: "Make a host match the views.",
                                                    subcommands: [SyncHostNetwork.self, SyncHostVM.self])
}

struct ReportVMCommands: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "vm", abstract: "Reports about VMs.", subcommands: [ReportVMNextMAC.self])
}

struct ReportHostVMCommands: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "vm", abstract: "Reports about hosted VMs.",
                                                    subcommands: [ReportHostVMConfig.self])
}

struct StartCommands: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "start", abstract: "Start VMs.", subcommands: [StartHostCommands.self])
}

struct StartHostCommands: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "host", abstract: "Start hosted VMs.", subcommands: [StartHostVM.self])
}

struct StopCommands: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stop", abstract: "Stop VMs.", subcommands: [StopHostCommands.self])
}

struct StopHostCommands: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "host", abstract: "Stop hosted VMs.", subcommands: [StopHostVM.self])
}

struct RunCommands: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Run services.", subcommands: [RunExecutor.self])
}

struct LedgerCommands: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger", abstract: "Inspect, verify and maintain the ledger itself.",
        subcommands: [LedgerHead.self, LedgerLog.self, LedgerVerify.self, LedgerCheckpoint.self, LedgerRebuild.self, LedgerSign.self, LedgerSubmit.self])
}

/// Runs `rocks` in-process: what `main` calls, and what tests call.
public enum RocksCLI {
    public struct Result: Sendable {
        public let status: Int32
        public let stdout: String
        public let stderr: String
    }

    public static func run(_ arguments: [String], context: CommandContext) -> Result {
        if let help = helpText(for: arguments) {
            return Result(status: 0, stdout: help + "\n", stderr: "")
        }
        let command: ParsableCommand
        do {
            command = try Rocks.parseAsRoot(arguments)
        } catch {
            let exit = Rocks.exitCode(for: error)
            if exit == .success {
                // --help and friends: the help text is the output.
                return Result(status: 0, stdout: Rocks.fullMessage(for: error) + "\n", stderr: "")
            }
            return failure(Rocks.message(for: error))
        }
        guard let rocksCommand = command as? any RocksCommand else {
            // A group named without a command: show what it contains.
            var words: [String] = []
            for subcommand in type(of: command).configuration.subcommands {
                if let name = subcommand.configuration.commandName, name != "plain" { words.append(name) }
            }
            return failure("incomplete command: add one of \(words.joined(separator: ", ")) (see --help)")
        }
        do {
            let parsed = try RocksArguments(rocksCommand.tokens, grammar: type(of: rocksCommand).grammar)
            try rocksCommand.execute(parsed, in: context)
        } catch {
            return failure(describe(error))
        }
        return Result(status: 0, stdout: context.output, stderr: "")
    }

    /// The help of the deepest command named, when the words ask for help (`--help`, `-h`,
    /// or `help` first). Rocks parameters never start with a dash, so this is unambiguous.
    static func helpText(for arguments: [String]) -> String? {
        let asked = arguments.contains("--help") || arguments.contains("-h") || arguments.first == "help"
        guard asked || arguments.isEmpty else { return nil }
        var command: ParsableCommand.Type = Rocks.self
        for word in arguments where word != "help" && !word.hasPrefix("-") {
            guard let next = command.configuration.subcommands.first(where: { $0.configuration.commandName == word }) else { break }
            command = next
        }
        return Rocks.helpMessage(for: command)
    }

    private static func failure(_ message: String) -> Result {
        let line = message.split(separator: "\n", omittingEmptySubsequences: true).first.map(String.init) ?? "failed"
        return Result(status: 1, stdout: "", stderr: "error - \(line)\n")
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case let error as CLIError: error.message
        case let error as LedgerError: error.message
        case let error as SigningError: error.message
        case let error as DomainError: error.message
        case let error as LMDBError: "ledger storage: \(error)"
        default: "\(error)"
        }
    }
}
