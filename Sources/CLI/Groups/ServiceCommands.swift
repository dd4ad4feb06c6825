import ArgumentParser

struct StartServiceCommands: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "service", abstract: "Start a service.", subcommands: [StartServiceAirboss.self])
}

struct StopServiceCommands: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "service", abstract: "Stop a service.", subcommands: [StopServiceAirboss.self])
}

struct SetClusterCommands: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cluster", abstract: "Change a virtual cluster.", subcommands: [SetClusterPower.self])
}
