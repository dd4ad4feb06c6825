import ArgumentParser
import Ledger
import Projections
import Signing

struct ReportVMCommands: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "vm", abstract: "Reports about VMs.", subcommands: [ReportVMNextMAC.self])
}
