import RocksGrammar
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
    /// Signs checkpoints and the executor's outcomes; loaded only by ``writing(_:)``.
    let frontend: PrivateKey?

    /// Opens the ledger to read, read-only: no private key is loaded, and an auditor who
    /// cannot write the files, or has them on read-only media, can list and verify. Warns
    /// when reading without LMDB's locks, and when the head is not what the newest
    /// checkpoint covers.
    static func reading(_ context: CommandContext) throws -> LedgerSession {
        var options = LMDBEnvironment.Options()
        options.readOnly = true
        let projection = DomainProjection()
        let ledger = try Ledger(directory: context.ledgerDirectory, projection: projection, options: options, logger: context.logger)
        if !ledger.environment.isLocked {
            context.warn("the ledger's lock file cannot be opened for writing, so it is read without LMDB's locks: "
                         + "unsafe while anything appends to it")
        }
        if let problem = try ledger.headCoverageProblem() {
            context.warn("\(problem): run 'rocks ledger verify'")
        }
        return LedgerSession(ledger: ledger, projection: projection, context: context, admin: nil, frontend: nil)
    }

    /// Opens the ledger to rewrite its views: writable, without keys, for `ledger rebuild`.
    static func rebuilding(_ context: CommandContext) throws -> LedgerSession {
        let projection = DomainProjection()
        let ledger = try Ledger(directory: context.ledgerDirectory, projection: projection, logger: context.logger)
        return LedgerSession(ledger: ledger, projection: projection, context: context, admin: nil, frontend: nil)
    }

    /// Opens the ledger with the frontend key alone, to sign the checkpoint of `ledger upgrade`.
    static func upgrading(_ context: CommandContext) throws -> LedgerSession {
        try requireLedger(context)
        let frontend = try KeyFiles.loadPrivateKey(context.frontendKeyPath)
        let projection = DomainProjection()
        let ledger = try Ledger(directory: context.ledgerDirectory, projection: projection, frontendKey: frontend, logger: context.logger)
        return LedgerSession(ledger: ledger, projection: projection, context: context, admin: nil, frontend: frontend)
    }

    /// Opens the ledger to append requests signed by the admin key.
    static func writing(_ context: CommandContext) throws -> LedgerSession {
        try requireLedger(context)
        let frontend = try KeyFiles.loadPrivateKey(context.frontendKeyPath)
        let admin = try KeyFiles.loadPrivateKey(context.adminKeyPath)
        let projection = DomainProjection()
        let ledger = try Ledger(directory: context.ledgerDirectory, projection: projection, frontendKey: frontend,
                                clock: context.clock, logger: context.logger)
        return LedgerSession(ledger: ledger, projection: projection, context: context, admin: admin, frontend: frontend)
    }

    /// Before any key is read: with no ledger, that is the one thing to say.
    private static func requireLedger(_ context: CommandContext) throws {
        guard Ledger.exists(at: context.ledgerDirectory) else {
            throw LedgerError(.noLedger, "no ledger at \(context.ledgerDirectory): run 'rocks init' first")
        }
    }

    /// Signs `op` with the admin key and appends it. A denial is an error for the caller.
    @discardableResult
    func submit(_ op: String, _ args: [String: String]) throws -> Appended {
        guard let admin else { throw CLIError("this command was opened read-only") }
        let envelope = RequestEnvelope(op: op, args: args, signer: admin.publicKey, ledger: ledger.id, now: context.clock())
        return try submit(SignedRequest(signing: envelope, with: admin))
    }

    /// Signs `op` with the frontend key (what the frontend itself saw or did) and appends it.
    @discardableResult
    func submitAsFrontend(_ op: String, _ args: [String: String]) throws -> Appended {
        guard let frontend else { throw CLIError("this command was opened read-only") }
        let envelope = RequestEnvelope(op: op, args: args, signer: frontend.publicKey, ledger: ledger.id, now: context.clock())
        return try submit(SignedRequest(signing: envelope, with: frontend))
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

    /// The read side of the views, for the list commands.
    var reader: DomainReader { DomainReader(environment: ledger.environment) }

    /// Runs `body` over the views: the live ones, or with `at=<seq>` or `at=<RFC 3339 time>`
    /// the views as they were then (the last record at or before that time).
    func views<T>(at position: String?, _ body: (DomainReader, borrowing Transaction) throws -> T) throws -> T {
        guard let position else { return try ledger.read { txn in try body(reader, txn) } }
        let sequence = try sequence(at: position)
        return try ledger.read { txn in try body(DomainReader(environment: ledger.environment, asOf: sequence), txn) }
    }

    private func sequence(at position: String) throws -> UInt64 {
        if let sequence = UInt64(position), sequence > 0 {
            let head = try ledger.head().sequence
            guard sequence <= head else { throw CLIError("at=\(sequence) is outside the log (records 1 to \(head))") }
            return sequence
        }
        guard let sequence = try ledger.sequence(atOrBefore: try time("at", position)) else {
            throw CLIError("the ledger has no record at or before \(position)")
        }
        return sequence
    }

    /// The records between `from=` and `to=`, each a sequence number or an RFC 3339 time: from
    /// the first record appended at or after one, to the last appended at or before the
    /// other. Nil when no record lies between them.
    func records(from: String?, to: String?) throws -> ClosedRange<UInt64>? {
        let head = try ledger.head().sequence
        var first: UInt64 = 1, last = head
        if let from {
            if let sequence = UInt64(from), sequence > 0 {
                first = sequence
            } else {
                // The first record after the last one appended before the time.
                let time = try time("from", from)
                guard time.nanoseconds > .min else { return first...last }
                first = (try ledger.sequence(atOrBefore: Timestamp(nanosecondsSinceEpoch: time.nanoseconds - 1)) ?? 0) + 1
            }
        }
        if let to {
            if let sequence = UInt64(to), sequence > 0 {
                last = min(sequence, head)
            } else {
                last = try ledger.sequence(atOrBefore: try time("to", to)) ?? 0
            }
        }
        return first <= last ? first...last : nil
    }

    private func time(_ name: String, _ text: String) throws(CLIError) -> Timestamp {
        guard let time = Timestamp(rfc3339: text) else {
            throw CLIError("\(name) must be a sequence number or an RFC 3339 UTC time (2026-11-28T06:00:00Z), not '\(text)'")
        }
        return time
    }
}
