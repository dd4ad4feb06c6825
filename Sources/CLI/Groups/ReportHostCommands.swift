import ArgumentParser
import Ledger
import Projections
import Signing

struct ReportHostCommands: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "host", abstract: "Reports about hosts.",
                                                    subcommands: [ReportHostInterface.self, ReportHostVMCommands.self])
}
