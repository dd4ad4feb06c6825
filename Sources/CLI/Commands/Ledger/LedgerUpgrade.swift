import RocksGrammar
import ArgumentParser
import Ledger

/// `rocks ledger upgrade`: brings a ledger written before the Merkle tree up to date.
struct LedgerUpgrade: RocksCommand {
    static let configuration = CommandConfiguration(
        commandName: "upgrade",
        abstract: "Compute the Merkle tree of a ledger written before it, and sign a note checkpoint.",
        discussion: """
            \(grammar.usage("rocks ledger upgrade"))

            A ledger written before the Merkle tree takes no appends until upgraded. In one \
            transaction, this checks the records as a rebuild does, computes the tree and signs \
            a signed-note checkpoint for the head. Every record is kept, and every checkpoint but \
            the newest JSON one, which the note for the same record replaces; a saved copy of it \
            still verifies with rocks ledger verify since=. Running it again changes nothing.
            """)
    static let grammar = Grammar()

    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []

    func execute(_ arguments: RocksArguments, in context: CommandContext) throws {
        let ledger = try LedgerSession.upgrading(context).ledger
        guard try ledger.needsUpgrade() else {
            context.print("already upgraded: the Merkle tree covers every record")
            return
        }
        let head = try ledger.upgrade()
        context.print("upgraded: the Merkle tree covers records 1 to \(head), and checkpoint \(head) is a signed note")
    }
}
