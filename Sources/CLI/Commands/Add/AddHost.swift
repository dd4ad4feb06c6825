import RocksGrammar
import ArgumentParser

/// `rocks add host`: a physical host (a VM container or a compute node), as insert-ethers adds it.
struct AddHost: RequestCommand {
    static let configuration = CommandConfiguration(
        commandName: "plain",
        abstract: "Add a physical host.",
        discussion: """
            \(grammar.usage("rocks add host"))

            The name defaults to <appliance>-<rack>-<rank> (vm-container-0-0); eth0 goes on the \
            private network at the next free address, with the MAC when one is given.
            """,
        shouldDisplay: false)
    static let grammar = Grammar(
        positional: ["name"], optionalPositional: ["name"], mandatory: ["membership"],
        parameters: ["name", "membership=\"VM Container\"", "mac", "ip", "rack=0", "rank=<next>", "cpus=1"])

    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []

    static let op = "add host"

    static func request(_ arguments: RocksArguments) throws -> [String: String] {
        _ = try arguments.required("membership", "must supply a membership")
        return arguments.parameters
    }

    func execute(_ arguments: RocksArguments, in context: CommandContext) throws {
        try LedgerSession.writing(context).submit(Self.op, try Self.request(arguments))
    }
}
