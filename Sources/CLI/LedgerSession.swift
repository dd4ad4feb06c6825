import Ledger
import Projections
import Signing

/// The ledger as a command uses it: opened from `$ROCKS_HOME`, with the domain projection,
/// and, for commands that append, the admin key that signs and the frontend key that
/// signs checkpoints.
struct LedgerSession {
    let ledger: Ledger
    let projection: DomainProjection
    let context: CommandContext
    private let admin: PrivateKey?

    /// Opens the ledger to read: no private key is loaded.
    static func reading(_ context: CommandContext) throws -> LedgerSession {
        let projection = DomainProjection()
        let ledger = try Ledger(directory: context.ledgerDirectory, projection: projection, logger: context.logger)
        return LedgerSession(ledger: ledger, projection: projection, context: context, admin: nil)
    }

    /// Opens the ledger to append requests signed by the admin key.
    static func writing(_ context: CommandContext) throws -> LedgerSession {
        guard Ledger.exists(at: context.ledgerDirectory) else {
            throw LedgerError(.noLedger, "no ledger at \(context.ledgerDirectory): run 'rocks init' first")
        }
        let frontend = try KeyFiles.loadPrivateKey(context.frontendKeyPath)
        let admin = try KeyFiles.loadPrivateKey(context.adminKeyPath)
        let projection = DomainProjection()
        let ledger = try Ledger(directory: context.ledgerDirectory, projection: projection, frontendKey: frontend,
                                clock: context.clock, logger: context.logger)
        return LedgerSession(ledger: ledger, projection: projection, context: context, admin: admin)
    }

    /// Signs `op` with the admin key and appends it. A denial is an error for the caller.
    @discardableResult
    func submit(_ op: String, _ args: [String: String]) throws -> Appended {
        guard let admin else { throw CLIError("this command was opened read-only") }
        let envelope = RequestEnvelope(op: op, args: args, signer: admin.publicKey, ledger: ledger.id, now: context.clock())
        return try submit(SignedRequest(signing: envelope, with: admin))
    }

    /// Appends a request someone else signed.
    @discardableResult
    func submit(_ request: SignedRequest) throws -> Appended {
        let appended = try ledger.append(request)
        if let denial = appended.denial {
            throw CLIError("denied (recorded as record \(appended.sequence)): \(denial)")
        }
        return appended
    }

    /// Runs `body` with a read transaction over the views.
    func read<T>(_ body: (borrowing Transaction, LMDBEnvironment) throws -> T) throws -> T {
        try ledger.read { txn in try body(txn, ledger.environment) }
    }
}
