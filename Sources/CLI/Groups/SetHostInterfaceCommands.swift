import ArgumentParser
import Ledger
import Projections
import Signing

struct SetHostInterfaceCommands: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "interface", abstract: "Change an interface.",
        subcommands: [SetHostInterfaceIP.self, SetHostInterfaceMAC.self, SetHostInterfaceSubnet.self, SetHostInterfaceName.self,
                      SetHostInterfaceVLAN.self, SetHostInterfaceModule.self])
}
