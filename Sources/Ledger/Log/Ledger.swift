import Dispatch
import Logging
import Signing
import Transparency

#if canImport(Glibc)
import Glibc
#endif

/// The provisioning ledger: an append-only, hash-chained log of signed requests in one LMDB
/// environment, with the projection's views and the Merkle tree over the records in the same
/// environment, and a checkpoint (a C2SP signed note of the tree's size and root) signed by
/// the frontend key at the end of every commit.
///
/// One instance serves one thread at a time; several processes may append to the same
/// directory at once, serialised by LMDB's writer lock.
public final class Ledger {
    public static let recordsName = "records"
    public static let checkpointsName = "checkpoints"
    public static let noncesName = "nonces"
    public static let treeName = "tree"
    /// The most requests one commit takes, so that a batch's transaction stays bounded.
    public static let maximumBatchCount = 10_000

    public let directory: String
    public let environment: LMDBEnvironment
    public let projection: any LedgerProjection
    public let genesis: Genesis
    /// The frontend's private key: needed to append (each commit signs a checkpoint).
    private let frontendKey: PrivateKey?
    /// The frontend key as it signs checkpoints: a note key named by the ``origin``.
    let noteSigner: NoteSigner?
    /// What auditors configure to check this ledger's checkpoints and proofs; nil when the
    /// genesis record's frontend key or name cannot sign notes (only Ed25519 can).
    public let verifierKey: NoteVerifierKey?
    private let clock: @Sendable () -> Timestamp
    private let logger: Logger

    let records: Database
    let checkpoints: Database
    let nonces: Database
    /// Nil only when a read-only open finds a ledger written before the tree.
    let tree: MerkleTreeStore?

    public var id: LedgerID { genesis.ledger }

    /// The checkpoints' origin and the note key's name: `<frontend fqdn>/rocks/<ledger id>`.
    public var origin: String { Self.origin(of: genesis) }

    static func origin(of genesis: Genesis) -> String {
        Checkpoint.rocksOrigin(frontend: genesis.arguments["name"] ?? "", ledger: genesis.ledger)
    }

    /// Opens an existing ledger. Without `frontendKey` it can be read and verified, not
    /// appended to; with `options.readOnly` it is only read, and nothing is created.
    public convenience init(directory: String, projection: any LedgerProjection, frontendKey: PrivateKey? = nil,
                            options: LMDBEnvironment.Options = .init(), clock: @escaping @Sendable () -> Timestamp = Timestamp.now,
                            logger: Logger = Logger(label: "rocks.ledger")) throws
    {
        guard Self.exists(at: directory) else {
            throw LedgerError(.noLedger, "no ledger at \(directory): run 'rocks init' first")
        }
        // LMDB would make an empty file a new, empty environment: a ledger lost, not a new one.
        guard LMDBEnvironment.fileSize(directory + "/data.mdb") > 0 else { throw LedgerError.damaged(directory, "data.mdb is empty") }
        let environment = try Self.openEnvironment(directory, projection: projection, options: options)
        let genesis = try environment.read { txn in
            guard let stored = try txn.get(environment.database(Self.recordsName), SequenceKey.encode(1)) else {
                throw LedgerError.damaged(directory, "it has no genesis record")
            }
            do {
                return try Genesis(request: Record(stored: stored).request)
            } catch let error as LedgerError {
                throw LedgerError(error.code, "record 1: \(error.message)", sequence: 1)
            }
        }
        try self.init(directory: directory, environment: environment, genesis: genesis, projection: projection,
                      frontendKey: frontendKey, clock: clock, logger: logger)
    }

    private init(directory: String, environment: LMDBEnvironment, genesis: Genesis, projection: any LedgerProjection,
                 frontendKey: PrivateKey?, clock: @escaping @Sendable () -> Timestamp, logger: Logger) throws
    {
        if let frontendKey, frontendKey.id != genesis.frontendKey.id {
            throw LedgerError(.unknownKey, "the frontend key \(frontendKey.id.short) is not this ledger's (\(genesis.frontendKey.id.short))")
        }
        self.directory = directory
        self.environment = environment
        self.genesis = genesis
        self.projection = projection
        self.frontendKey = frontendKey
        let origin = Self.origin(of: genesis)
        self.verifierKey = try? NoteVerifierKey(name: origin, publicKey: genesis.frontendKey)
        self.noteSigner = try frontendKey.map { key in
            do {
                return try NoteSigner(name: origin, privateKey: key)
            } catch let error as TransparencyError {
                throw LedgerError(.unknownKey, "the frontend key cannot sign this ledger's checkpoints: \(error.message)")
            }
        }
        self.clock = clock
        self.logger = logger
        self.records = environment.database(Self.recordsName)
        self.checkpoints = environment.database(Self.checkpointsName)
        self.nonces = environment.database(Self.noncesName)
        self.tree = environment.databases[Self.treeName].map(MerkleTreeStore.init(database:))
    }

    /// Creates a ledger whose first record is `genesis` (op `init`, signed by the admin key it
    /// carries). Refuses a directory that already holds a ledger.
    public static func create(directory: String, genesis request: SignedRequest, frontendKey: PrivateKey,
                              projection: any LedgerProjection, options: LMDBEnvironment.Options = .init(),
                              clock: @escaping @Sendable () -> Timestamp = Timestamp.now,
                              logger: Logger = Logger(label: "rocks.ledger")) throws -> Ledger
    {
        guard !exists(at: directory) else {
            throw LedgerError(.ledgerExists, "a ledger already exists at \(directory)")
        }
        let genesis = try Genesis(request: request)
        guard genesis.frontendKey.id == frontendKey.id else {
            throw LedgerError(.unknownKey, "the genesis record names a different frontend key")
        }
        do {
            _ = try NoteVerifierKey(name: origin(of: genesis), publicKey: genesis.frontendKey)
        } catch {
            throw LedgerError(.unknownKey, "this ledger could not sign its checkpoints: \(error.message)")
        }
        guard mkdir(directory, 0o700) == 0 || errno == EEXIST else {
            throw LedgerError(.storage, "cannot create \(directory): \(String(cString: strerror(errno)))")
        }
        let environment = try openEnvironment(directory, projection: projection, options: options)
        let ledger = try Ledger(directory: directory, environment: environment, genesis: genesis, projection: projection,
                                frontendKey: frontendKey, clock: clock, logger: logger)
        _ = try ledger.commit([request], verifiedKeys: [genesis.adminKey], expectedHead: 0, isolating: false)
        return ledger
    }

    /// Whether `directory` holds a ledger's `data.mdb`, sound or not: a damaged ledger is
    /// still one, never a place for `rocks init`.
    public static func exists(at directory: String) -> Bool {
        access(directory + "/data.mdb", F_OK) == 0
    }

    private static func openEnvironment(_ directory: String, projection: any LedgerProjection,
                                        options: LMDBEnvironment.Options) throws -> LMDBEnvironment
    {
        let required = [recordsName, checkpointsName, noncesName] + projection.viewNames
        let environment: LMDBEnvironment
        do {
            environment = try LMDBEnvironment(directory: directory, databaseNames: required + [treeName], options: options)
        } catch let error where error.meansDamage {
            throw LedgerError.damaged(directory, "data.mdb: \(error)")
        } catch {
            throw LedgerError(.storage, "cannot open the ledger at \(directory): \(error)")
        }
        // Only a read-only open leaves a database uncreated: a view this build adds, or damage.
        // The tree may be missing, from a ledger written before it (see `upgrade`).
        let missing = required.filter { environment.databases[$0] == nil }
        guard missing.isEmpty else {
            throw LedgerError(.storage, "the ledger at \(directory) lacks the databases \(missing.joined(separator: ", ")); "
                                        + "'rocks ledger rebuild', run by a user who can write it, creates the views")
        }
        return environment
    }

    // MARK: Reading

    /// The last record's sequence number, digest and time.
    public func head() throws -> Head {
        try environment.read { txn in try head(in: txn) }
    }

    func head(in txn: borrowing Transaction) throws -> Head {
        guard let (key, value) = try txn.last(records) else {
            return Head(sequence: 0, digest: [UInt8](repeating: 0, count: 32), time: Timestamp(nanosecondsSinceEpoch: 0))
        }
        // Every append reads the head: a layout and digest check suffices here; `verify`
        // does the full, strict parse.
        let sequence = key.withUnsafeBytes { SequenceKey.decode($0) }
        guard let last = Record.summary(value), sequence == last.sequence else {
            throw LedgerError.corrupt(sequence ?? 0, "the last record is damaged or stored under the wrong key")
        }
        return Head(sequence: last.sequence, digest: last.digest, time: last.appended)
    }

    public func record(_ sequence: UInt64) throws -> Record? {
        try environment.read { txn in
            try txn.get(records, SequenceKey.encode(sequence)).map { try Record(stored: $0) }
        }
    }

    /// Visits records `from...to` in order until `body` returns false, each read with `checks`.
    public func forEachRecord(from: UInt64 = 1, to: UInt64 = .max, checks: Record.Checks = .full, _ body: (Record) throws -> Bool) throws {
        try environment.read { txn in
            try txn.forEach(in: records, from: SequenceKey.encode(from)) { key, value in
                guard let sequence = SequenceKey.decode(key), sequence <= to else { return false }
                return try body(Record(stored: value, checks: checks))
            }
        }
    }

    /// The checkpoint written by the last commit (by ``upgrade()``, on a ledger it upgraded).
    public func latestCheckpoint() throws -> StoredCheckpoint {
        try environment.read { txn in
            guard let (_, document) = try txn.last(checkpoints) else {
                throw LedgerError(.corrupt, "the ledger has no checkpoint")
            }
            return try StoredCheckpoint(bytes: document)
        }
    }

    /// The first checkpoint that covers record `sequence`: the one its own commit wrote, or on
    /// a ledger from before checkpoints at every commit, the next one written. Nil when no
    /// checkpoint covers it yet.
    public func checkpoint(covering sequence: UInt64) throws -> StoredCheckpoint? {
        try environment.read { txn in
            var found: StoredCheckpoint?
            try txn.forEach(in: checkpoints, from: StoredCheckpoint.key(sequence)) { _, document in
                found = try StoredCheckpoint(bytes: Array(document))
                return false
            }
            return found
        }
    }

    /// Runs `body` in a read transaction, for projections reading their views.
    public func read<T>(_ body: (borrowing Transaction) throws -> T) throws -> T {
        try environment.read(body)
    }

    // MARK: Appending

    /// Appends one signed request as one record, in one durable commit.
    public func append(_ request: SignedRequest, expectedHead: UInt64? = nil) throws -> Appended {
        try append(batch: [request], expectedHead: expectedHead)[0]
    }

    /// Appends requests as consecutive records in one commit: all or none. Signatures are
    /// verified over the received bytes first, on every core, outside the write transaction.
    /// `expectedHead`, when given, must be the current last sequence number (else `staleHead`).
    public func append(batch requests: [SignedRequest], expectedHead: UInt64? = nil) throws -> [Appended] {
        guard !requests.isEmpty else { return [] }
        guard requests.count <= Self.maximumBatchCount else {
            throw LedgerError(.tooLarge, "a batch holds at most \(Self.maximumBatchCount) requests")
        }
        let checked = try verify(requests).map { try $0.get().key }
        return try commit(requests, verifiedKeys: checked, expectedHead: expectedHead, isolating: false).map { try $0.get() }
    }

    /// Appends each request on its own merits, all in one durable commit with one checkpoint:
    /// what a group of concurrent requests shares. `requests` are as ``verify(_:)`` gave
    /// them: one that failed there keeps its error. A request refused here (its key removed
    /// since, a replay, an expired request, a domain refusal) gets its error and no record,
    /// and its neighbours are appended all the same; an error of the ledger itself (storage)
    /// fails the whole group, and nothing is appended.
    ///
    /// `admitting` sees each verified request before the transaction, and may refuse it with
    /// an error of its own (the Airboss's rate limit): so only a key's genuine requests count
    /// against it.
    public func append(group requests: [Result<VerifiedRequest, any Error>],
                       admitting: (SignedRequest) -> (any Error)? = { _ in nil }) throws -> [Result<Appended, any Error>] {
        guard !requests.isEmpty else { return [] }
        guard requests.count <= Self.maximumBatchCount else {
            throw LedgerError(.tooLarge, "a group holds at most \(Self.maximumBatchCount) requests")
        }
        var checked = requests
        for index in checked.indices {
            if case .success(let verified) = checked[index], let refusal = admitting(verified.request) { checked[index] = .failure(refusal) }
        }
        let admitted = checked.indices.compactMap { index in (try? checked[index].get()).map { (index, $0) } }
        var results = checked.map { result in result.map { _ in Appended?.none } }
        let appended = try commit(admitted.map(\.1.request), verifiedKeys: admitted.map(\.1.key), expectedHead: nil, isolating: true)
        for ((index, _), result) in zip(admitted, appended) { results[index] = result.map { Optional($0) } }
        return results.map { result in result.map { $0! } }
    }

    /// Each request with its key in force, once its signature over the received bytes is
    /// verified (on every core when there are many); or why not. It reads in a read
    /// transaction of its own and writes nothing, so any number of threads may call it at
    /// once, beside an append: the Airboss verifies each request as it arrives.
    public func verify(_ requests: [SignedRequest]) throws -> [Result<VerifiedRequest, any Error>] {
        let keys: [Result<PublicKey, any Error>] = try environment.read { txn in
            requests.map { request in
                Result {
                    guard let key = try projection.keyInForce(request.envelope.key, in: txn, environment: environment) else {
                        throw LedgerError(.unknownKey, "request signed by unknown key \(request.envelope.key.short)")
                    }
                    return key
                }
            }
        }
        let jobs = requests.indices.compactMap { index in (try? keys[index].get()).map { (index, requests[index], $0) } }
        let valid = SignatureCheck.verifyAll(jobs.map { ($0.1, $0.2) })
        var results = zip(requests, keys).map { request, key in key.map { VerifiedRequest(request: request, key: $0) } }
        for (job, isValid) in zip(jobs, valid) where !isValid {
            results[job.0] = .failure(LedgerError(.badSignature, "signature of the request '\(job.1.envelope.op)' is invalid"))
        }
        return results
    }

    /// The write transaction: re-checks what may have changed since the signatures were
    /// verified, lets the projection decide, writes records, nonces, views and a checkpoint.
    /// `isolating`, a request's refusal (by those checks or its decider, before anything of it
    /// is written) is its result and the others go on; otherwise it aborts the commit.
    private func commit(_ requests: [SignedRequest], verifiedKeys: [PublicKey], expectedHead: UInt64?,
                        isolating: Bool) throws -> [Result<Appended, any Error>]
    {
        guard let noteSigner else {
            throw LedgerError(.unknownKey, "this ledger was opened without the frontend key, so it cannot append")
        }
        let appended = try environment.write { txn -> [Result<Appended, any Error>] in
            var head = try head(in: txn)
            if let expectedHead, expectedHead != head.sequence {
                throw LedgerError(.staleHead, "the ledger's head moved to \(head.sequence) (expected \(expectedHead)); nothing was appended")
            }
            // Checked at the first record, after its decision: a ledger this build cannot fold
            // says so first, since no upgrade would help it.
            var tree: MerkleTreeStore.Appender?
            var results: [Result<Appended, any Error>] = []
            for (request, key) in zip(requests, verifiedKeys) {
                let now = clock()
                // Append times never decrease, even if the wall clock steps back.
                let time = max(now, head.time)
                let context = AppendContext(ledger: id, sequence: head.sequence + 1, time: time)
                let decision: JSONValue, encoded: [UInt8], reread: JSONValue
                do {
                    // Nothing of the request is written before these pass.
                    try checkAdmissible(request, signedBy: key, now: now, in: txn, first: head.sequence == 0)
                    decision = try projection.decide(request, context: context, in: txn, environment: environment)
                    encoded = CanonicalJSON.encode(decision)
                    guard decision.objectValue != nil, encoded.count <= Record.maximumDecisionByteCount,
                          let decoded = try? CanonicalJSON.decode(encoded)
                    else {
                        throw LedgerError(.tooLarge, "the decision for '\(request.envelope.op)' is not a readable object within \(Record.maximumDecisionByteCount) bytes")
                    }
                    reread = decoded
                } catch where isolating {
                    results.append(.failure(error))
                    continue
                }
                let record = Record(sequence: context.sequence, appended: time, previousDigest: head.digest, request: request, decision: encoded,
                                    decisionJSON: reread)
                // Assert right before writing: the bytes have the layout a reader expects.
                precondition(Record.summary(record.bytes)?.sequence == record.sequence, "record \(record.sequence) has a bad layout")
                do {
                    try txn.put(records, SequenceKey.encode(record.sequence), record.bytes, noOverwrite: true, append: true)
                } catch let error as LMDBError where error == LMDBError.keyExists {
                    throw LedgerError(.staleHead, "record \(record.sequence) already exists; refusing to fork the log")
                }
                try txn.put(nonces, request.envelope.nonce.bytes, SequenceKey.encode(record.sequence), noOverwrite: true)
                // Taken out and put back, so the edge it holds is extended in place, not copied.
                var extending = try tree.take() ?? completeTree(head: head.sequence, in: txn).appender(in: txn)
                try record.withDigest { try extending.add(sequence: record.sequence, digest: $0, in: txn) }
                tree = extending
                try projection.prepareAndFold(record, in: txn, environment: environment)
                head = Head(sequence: record.sequence, digest: record.digest, time: time)
                results.append(.success(Appended(sequence: record.sequence, digest: record.digest, decision: decision, record: record)))
            }
            // Nothing appended (every request of a group refused): no checkpoint to sign.
            guard let root = tree?.root else { return results }
            let checkpoint = try sign(size: head.sequence, root: root, with: noteSigner)
            try txn.put(checkpoints, StoredCheckpoint.key(head.sequence), checkpoint.bytes, noOverwrite: true)
            return results
        }
        for case .success(let result) in appended {
            logger.debug("ledger.appended", metadata: ["ledger.seq": "\(result.sequence)", "ledger.digest": "\(Hex.encode(result.digest))"])
        }
        return appended
    }

    /// The checks that must see the state of the write transaction: the request is for this
    /// ledger, current, unused, and its key still in force.
    private func checkAdmissible(_ request: SignedRequest, signedBy key: PublicKey, now: Timestamp,
                                 in txn: borrowing Transaction, first: Bool) throws
    {
        let envelope = request.envelope
        guard envelope.ledger == id else {
            throw LedgerError(.wrongLedger, "request is for ledger \(envelope.ledger), not this ledger (\(id))")
        }
        do {
            try envelope.checkCurrent(at: now)
        } catch {
            throw LedgerError(.expired, error.message)
        }
        if let used = try txn.get(nonces, envelope.nonce.bytes) {
            let sequence = used.withUnsafeBytes { SequenceKey.decode($0) } ?? 0
            throw LedgerError(.replayedNonce, "request nonce was already used by record \(sequence): replay refused")
        }
        if first {
            guard envelope.op == Genesis.op, key.id == genesis.adminKey.id else {
                throw LedgerError(.corrupt, "the first record must be the genesis request")
            }
            return
        }
        guard envelope.op != Genesis.op else {
            throw LedgerError(.ledgerExists, "this ledger is already initialised")
        }
        guard try projection.keyInForce(envelope.key, in: txn, environment: environment) == key else {
            throw LedgerError(.keyNotInForce, "key \(envelope.key.short) was removed before the request could be appended")
        }
    }

    // MARK: Rebuilding

    /// Room a rebuild asks for beyond one and a half times the views it replaces, and brings
    /// in beyond the views themselves: LMDB's own bookkeeping, and views that grow as they
    /// are folded again.
    private static let rebuildSparePages = 4096

    /// Empties every view, the nonce index and the Merkle tree and folds the whole log again,
    /// in one transaction. Deciders are not called: decisions are read from the records. Each
    /// record is checked for its layout, its digest and its link to the one before, and the
    /// last against the newest checkpoint (a note, by the recomputed tree's root), so a record
    /// forged with a recomputed digest is named and nothing is committed; `verify` is the
    /// full audit.
    @discardableResult
    public func rebuild() throws -> UInt64 {
        try rebuild { _, _ in }
    }

    /// ``rebuild()``, then `finish` with the head's sequence in the same transaction, before
    /// it commits (the upgrade signs its checkpoint there).
    func rebuild(finishing finish: (borrowing Transaction, UInt64) throws -> Void) throws -> UInt64 {
        // The emptied views' pages are freed only when the rebuild commits, so it writes the
        // new views beside them: the map is grown for that first. Otherwise a full map near
        // the end would abort the transaction, and `write` would fold the whole log again.
        guard let tree else { throw LedgerError(.storage, "the ledger was opened read-only") }
        let (viewPages, freePages) = try environment.read { txn in
            (try ([nonces, tree.database] + projection.viewNames.map(environment.database)).reduce(0) { $0 + (try txn.pageCount($1)) },
             try txn.reusableFreePageCount())
        }
        try environment.reserve(pages: viewPages + viewPages / 2 + Self.rebuildSparePages)
        return try environment.write { txn in
            // The fold would otherwise zero, in its own page faults, every page it takes past
            // the end of the data once the free list runs out; a helper brings them in ahead.
            // Folding the same log again takes about as many pages as the views hold now, so
            // that many are brought in, not the larger room reserved above for safety.
            let newPages = viewPages + Self.rebuildSparePages
            let prefaulting = DispatchGroup()
            DispatchQueue.global().async(group: prefaulting) { [environment] in environment.prefault(pages: newPages - freePages) }
            defer { prefaulting.wait() }
            try txn.empty(nonces)
            try txn.empty(tree.database)
            for name in projection.viewNames { try txn.empty(environment.database(name)) }
            // Nonces are random: written sorted at the end, they are appended, not searched for.
            var usedNonces = UsedNonces()
            let last = try Self.foldLog(projection, records: records, environment: environment, tree: tree, in: txn, nonces: &usedNonces)
            if let problem = try headCoverageProblem(head: last.map { ($0.sequence, $0.digest) } ?? (0, []), tree: tree, in: txn) {
                throw LedgerError(.corrupt, problem, sequence: last?.sequence)
            }
            try usedNonces.write(to: nonces, in: txn)
            let head = last?.sequence ?? 0
            try finish(txn, head)
            return head
        }
    }

    /// Folds every record in log order, each prepared on the reading thread and folded here,
    /// noting the nonces it used and adding its leaf to the tree; returns the last record folded.
    private static func foldLog<Projection: LedgerProjection>(_ projection: Projection, records: Database,
                                                              environment: LMDBEnvironment, tree: MerkleTreeStore,
                                                              in txn: borrowing Transaction, nonces: inout UsedNonces) throws -> Record?
    {
        var previous: Record?
        var leaves = try tree.appender(in: txn)
        try RecordPrefetch.forEach(in: environment, records: records, checks: .layoutAndDigest, prepare: { record in
            let prepared = try projection.prepare(record)
            return { txn in try projection.fold(prepared, record: record, in: txn, environment: environment) }
        }) { record, fold in
            let expected = (previous?.sequence ?? 0) + 1
            guard record.sequence == expected else {
                throw LedgerError.corrupt(expected, "missing: the next record stored is \(record.sequence)")
            }
            if let previous, !record.follows(previous) {
                throw LedgerError.corrupt(expected, "does not chain to record \(previous.sequence): one of them was altered")
            }
            nonces.add(record.nonce, sequence: record.sequence)
            try record.withDigest { try leaves.add(sequence: record.sequence, digest: $0, in: txn) }
            try fold.get()(txn)
            previous = record
        }
        return previous
    }
}
