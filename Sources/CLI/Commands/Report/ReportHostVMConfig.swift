import RocksGrammar
import ArgumentParser
import Executors
import Ledger
import Projections

/// `rocks report host vm config <vm>`: the domain XML `start host vm` would define.
struct ReportHostVMConfig: RocksCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Print the domain XML that start would define for a VM.",
        discussion: "\(grammar.usage("rocks report host vm config"))   (asks the VM's container whether it offers KVM; when it does not answer, kvm is assumed and a comment says so)")
    static let grammar = Grammar(hosts: .required("must supply a VM", shown: "<vm>"))

    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []

    func execute(_ arguments: RocksArguments, in context: CommandContext) throws {
        guard arguments.hosts.count == 1 else { throw CLIError("must supply exactly one VM") }
        let session = try LedgerSession.reading(context)
        let (definition, guessed) = try Executor.definition(of: arguments.hosts[0], ledger: session.ledger,
                                                            configuration: context.executorConfiguration)
        // Offline, as Rocks worked: the XML says, in a comment libvirt ignores, what is guessed.
        if let guessed { context.print("<!-- rocks: \(guessed.replacing("--", with: "- -")) -->") }
        context.write(definition.xml)
    }
}
