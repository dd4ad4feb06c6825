import ArgumentParser
import Ledger
import Projections
import Signing

struct ReportHostVMCommands: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "vm", abstract: "Reports about hosted VMs.",
                                                    subcommands: [ReportHostVMConfig.self])
}
