import ArgumentParser

struct OpenCommands: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "open", abstract: "Open your VMs' consoles.", subcommands: [OpenHostCommands.self])
}

struct OpenHostCommands: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "host", abstract: "Open your VMs' consoles.", subcommands: [OpenHostConsole.self])
}
