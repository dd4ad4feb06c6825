import ArgumentParser
import Ledger
import Projections
import Signing

struct SetHostCommands: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "host", abstract: "Change a host.",
        subcommands: [SetHostCPUs.self, SetHostPower.self, SetHostBoot.self, SetHostAttr.self, SetHostVM.self, SetHostInterfaceCommands.self,
                      SetHostRunAction.self, SetHostInstallAction.self])
}
