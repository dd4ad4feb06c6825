import Foundation
import Testing
import TestSupport

/// A ledger written before the Merkle tree (the `format-2` fixture, with JSON checkpoints)
/// takes no appends until `rocks ledger upgrade`, which keeps its records and checkpoints;
/// it is never verified wrongly.
@Suite struct LedgerUpgradeTests {
    @Test func aLedgerWithJSONCheckpointsIsRefusedUntilUpgradedAndKeepsThem() throws {
        let home = try DecisionFormatTests.home("format-2")
        let head = home.head
        #expect(home.run("ledger", "verify").stdout.hasPrefix("verified 36 records and "))
        let before = home.run("ledger", "checkpoint")
        #expect(before.stdout.hasPrefix("{\"alg\":") && before.stderr.contains("warning - this checkpoint is the JSON form"), "\(before)")
        let saved = try home.write(before.stdout, "saved.json")
        expectOneErrorLine(home.run("add", "host", "membership=VM Container"), "run 'rocks ledger upgrade', which keeps every record")
        expectOneErrorLine(home.run("ledger", "proof", "1"), "the newest checkpoint is not a signed note: run 'rocks ledger upgrade'")
        #expect(home.head == head)
        let checkpoints = try home.ledger().read { txn in try txn.count(home.ledger().environment.database("checkpoints")) }

        #expect(home.run("ledger", "upgrade").stdout == "upgraded: the Merkle tree covers records 1 to 36, and checkpoint 36 is a signed note\n")
        #expect(home.run("ledger", "upgrade").stdout == "already upgraded: the Merkle tree covers every record\n")
        #expect(try home.ledger().read { txn in try txn.count(home.ledger().environment.database("checkpoints")) } == checkpoints)
        #expect(home.head == head)
        let verified = home.run("ledger", "verify", "since=\(saved)")
        #expect(verified.stdout.hasPrefix("verified 36 records and \(checkpoints) checkpoints") && verified.stdout.hasSuffix("grew from checkpoint 36\n"),
                "\(verified)")
        #expect(home.run("ledger", "checkpoint").stdout.hasPrefix("espresso.rocksclusters.org/rocks/"))
        #expect(home.run("add", "host", "membership=VM Container").status == 0)
        #expect(home.run("ledger", "proof", "5").status == 0)
        #expect(home.run("ledger", "verify", "since=\(saved)").status == 0)
    }

    /// A rebuild computes the tree, and the ledger then takes appends, whose commits sign
    /// notes; until one does, the upgrade still has a note to sign.
    @Test func aRebuildComputesTheTreeAndTheUpgradeStillSignsTheNote() throws {
        let home = try DecisionFormatTests.home("format-2")
        #expect(home.run("ledger", "rebuild").status == 0)
        expectOneErrorLine(home.run("ledger", "proof", "1"), "run 'rocks ledger upgrade'")
        #expect(home.run("ledger", "upgrade").stdout.hasPrefix("upgraded: "))
        #expect(home.run("ledger", "proof", "1").status == 0)
    }
}
