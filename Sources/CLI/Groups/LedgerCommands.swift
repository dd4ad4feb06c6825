import ArgumentParser
import Ledger
import Projections
import Signing

struct LedgerCommands: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger", abstract: "Inspect, verify and maintain the ledger itself.",
        subcommands: [LedgerHead.self, LedgerLog.self, LedgerShow.self, LedgerVerify.self, LedgerCheckpoint.self, LedgerProof.self, LedgerConsistency.self,
                      LedgerVerifyProof.self, LedgerRebuild.self, LedgerUpgrade.self, LedgerSign.self, LedgerSubmit.self])
}
