import ArgumentParser
import Ledger
import Projections
import Signing

struct ReportCommands: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report", abstract: "Print generated configuration.",
                                                    subcommands: [ReportHostCommands.self, ReportVMCommands.self])
}
