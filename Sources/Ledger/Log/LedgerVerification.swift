import Signing
import Transparency

/// What a successful `verify` checked.
public struct VerificationReport: Sendable {
    public let records: UInt64
    public let checkpoints: Int
    public let head: Head
}

extension Ledger {
    /// Checks every stored byte: records are dense from 1, each parses strictly, digests its
    /// own bytes, chains to the one before, and carries a valid signature by a key an earlier
    /// record introduced; the Merkle tree, recomputed from the records, matches every stored
    /// node; every checkpoint is signed by the frontend key and matches its record (a note,
    /// the recomputed root at its size); the head is covered by a checkpoint. With `since`,
    /// also proves the log only grew since that checkpoint. Throws at the first bad record,
    /// naming its sequence.
    public func verify(since: StoredCheckpoint? = nil) throws -> VerificationReport {
        try environment.read { txn in
            var walk = ChainWalk(projection: projection, ledger: id)
            try txn.forEach(in: records) { key, value in
                try walk.visit(key: key, value: value)
                return true
            }
            try walk.finish()
            guard walk.count > 0 else { throw LedgerError(.noLedger, "the ledger is empty") }
            let checkpointCount = try verifyCheckpoints(in: txn, digests: walk.digests)
            if let since { try verify(since, digests: walk.digests, in: txn) }
            return VerificationReport(records: walk.count, checkpoints: checkpointCount,
                                      head: Head(sequence: walk.count, digest: walk.digests[Int(walk.count) - 1], time: walk.lastTime))
        }
    }

    private func verifyCheckpoints(in txn: borrowing Transaction, digests: [[UInt8]]) throws -> Int {
        var found: [StoredCheckpoint] = []
        var failure: LedgerError?
        try txn.forEach(in: checkpoints) { key, value in
            let keyText = String(decoding: key, as: UTF8.self)
            let isDecimal = key.count == 20 && key.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
            let claimed = isDecimal ? UInt64(keyText) ?? 0 : 0
            do {
                let checkpoint = try StoredCheckpoint(bytes: Array(value))
                guard isDecimal, checkpoint.sequence == claimed, claimed > 0 else {
                    throw LedgerError(.corrupt, "is stored under the key \(keyText)")
                }
                if case .json(let json) = checkpoint, json.ledger != id || json.signer != genesis.frontendKey.id {
                    throw LedgerError(.corrupt, "names another ledger or signer")
                }
                guard checkpoint.sequence <= UInt64(digests.count) else {
                    throw LedgerError(.truncated, "refers to record \(checkpoint.sequence), but the log ends at \(digests.count): records were removed")
                }
                found.append(checkpoint)
                return true
            } catch let error as LedgerError {
                failure = LedgerError(error.code, "checkpoint \(claimed): \(error.message)", sequence: claimed)
                return false
            }
        }
        if let failure { throw failure }
        try verifyTree(in: txn, digests: digests, against: found)
        let key = verifierKey, frontendKey = genesis.frontendKey, ledger = id
        let checkpoints = found
        let valid = SignatureCheck.parallelMap(checkpoints.count) { checkpoints[$0].isSigned(for: ledger, by: key, frontendKey: frontendKey) }
        if let bad = valid.firstIndex(of: false) {
            throw LedgerError(.corrupt, "checkpoint \(found[bad].sequence): signature is invalid", sequence: found[bad].sequence)
        }
        guard let last = found.last, last.sequence == UInt64(digests.count) else {
            let head = UInt64(digests.count)
            throw LedgerError(.corrupt, "record \(head): no checkpoint covers the head of the log", sequence: head)
        }
        return found.count
    }

    /// Recomputes the Merkle tree from the records' digests: every node stored in the `tree`
    /// database must be the one recomputed, and every checkpoint must commit to its record
    /// (a JSON one to the digest, a note to the root at its size). A ledger written before
    /// the tree, not yet upgraded, has no tree and no notes.
    private func verifyTree(in txn: borrowing Transaction, digests: [[UInt8]], against checkpoints: [StoredCheckpoint]) throws {
        let storedSize = try tree?.size(in: txn) ?? 0
        let hasNotes = checkpoints.contains { if case .note = $0 { true } else { false } }
        guard storedSize == UInt64(digests.count) || (storedSize == 0 && !hasNotes) else {
            let head = UInt64(digests.count)
            throw LedgerError(.corrupt, "record \(head): the Merkle tree covers \(storedSize) records, not \(head); "
                                        + "'rocks ledger rebuild' recomputes it", sequence: head)
        }
        var builder = MerkleTreeBuilder()
        var next = checkpoints.makeIterator()
        var checkpoint = next.next()
        for (index, digest) in digests.enumerated() {
            let sequence = UInt64(index + 1)
            let storedAsRecomputed = try MerkleHash.leaf(digest).withUnsafeBytes { leafHash in
                try builder.append(leafHash: leafHash) { completed in
                    guard let tree, storedSize > 0 else { return true }
                    return try txn.withValue(in: tree.database, key: SequenceKey.encode(sequence)) { $0?.hasSameBytes(as: completed) ?? false }
                }
            }
            guard storedAsRecomputed else {
                throw LedgerError(.corrupt, "record \(sequence): the Merkle tree's nodes for it are not the ones its digest gives", sequence: sequence)
            }
            while let current = checkpoint, current.sequence == sequence {
                guard current.covers(sequence: sequence, digest: digest, root: builder.root) else {
                    throw LedgerError(.corrupt, "checkpoint \(sequence): does not match record \(sequence)", sequence: sequence)
                }
                checkpoint = next.next()
            }
        }
    }

    /// Checks `since` against the log. A note's root is read from the stored tree, which
    /// `verifyTree` has just held to the one the records give.
    private func verify(_ since: StoredCheckpoint, digests: [[UInt8]], in txn: borrowing Transaction) throws {
        switch since {
        case .json(let json) where json.ledger != id:
            throw LedgerError(.wrongLedger, "the checkpoint is for ledger \(json.ledger), not \(id)")
        case .note(_, let checkpoint) where checkpoint.origin != origin:
            throw LedgerError(.wrongLedger, "the checkpoint is from '\(checkpoint.origin)', not this ledger ('\(origin)')")
        default:
            break
        }
        guard since.isSigned(for: id, by: verifierKey, frontendKey: genesis.frontendKey) else {
            throw LedgerError(.malformedCheckpoint, "the checkpoint is not signed by this ledger's frontend key")
        }
        guard since.sequence <= UInt64(digests.count) else {
            throw LedgerError(.truncated, "the log ends at record \(digests.count) but the checkpoint covers record \(since.sequence): records were removed",
                              sequence: UInt64(digests.count) + 1)
        }
        var root: [UInt8] = []
        if case .note = since {
            guard let tree, try tree.size(in: txn) == UInt64(digests.count) else {
                throw LedgerError(.malformedCheckpoint, "a signed-note checkpoint needs the Merkle tree: run 'rocks ledger upgrade'")
            }
            root = try tree.root(size: since.sequence, in: txn)
        }
        guard since.sequence > 0, since.covers(sequence: since.sequence, digest: digests[Int(since.sequence) - 1], root: root) else {
            throw LedgerError(.truncated, "record \(since.sequence) differs from the checkpoint: the log was rewritten", sequence: since.sequence)
        }
    }
}

/// The sequential part of verification: order, structure and the chain. Signatures are
/// collected and checked in parallel chunks, always before any later failure is reported,
/// so the error names the first bad record.
private struct ChainWalk {
    static let chunk = 4096

    let projection: any LedgerProjection
    let ledger: LedgerID
    var keys: [KeyID: PublicKey] = [:]
    var nonces: Set<[UInt8]> = []
    var digests: [[UInt8]] = []
    var pending: [(UInt64, SignedRequest, PublicKey)] = []
    var lastTime = Timestamp(nanosecondsSinceEpoch: 0)
    var count: UInt64 { UInt64(digests.count) }

    init(projection: any LedgerProjection, ledger: LedgerID) {
        self.projection = projection
        self.ledger = ledger
        digests.reserveCapacity(1024)
    }

    mutating func visit(key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) throws {
        let expected = count + 1
        do {
            try check(key: key, value: value, expected: expected)
        } catch let error as LedgerError {
            try flush()
            throw LedgerError(error.code, "record \(expected): \(error.message)", sequence: expected)
        }
        if pending.count >= Self.chunk { try flush() }
    }

    private mutating func check(key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer, expected: UInt64) throws {
        guard let sequence = SequenceKey.decode(key) else { throw LedgerError(.corrupt, "stored under a malformed key") }
        guard sequence == expected else { throw LedgerError(.corrupt, "is missing (the next record stored is \(sequence))") }
        let record = try Record(stored: value)
        guard record.sequence == sequence else { throw LedgerError(.corrupt, "says it is record \(record.sequence)") }
        let previous = digests.last ?? [UInt8](repeating: 0, count: 32)
        guard record.previousDigest == previous else { throw LedgerError(.corrupt, "does not chain to the record before it") }
        guard record.appended >= lastTime else { throw LedgerError(.corrupt, "is dated before the record before it") }
        // What the writer checked inside its transaction must hold of the stored record too.
        let request = try record.request
        let envelope = request.envelope
        guard envelope.ledger == ledger else { throw LedgerError(.corrupt, "carries a request for another ledger (\(envelope.ledger))") }
        guard nonces.insert(envelope.nonce.bytes).inserted else { throw LedgerError(.corrupt, "reuses the nonce of an earlier request") }
        do {
            try envelope.checkCurrent(at: record.appended)
        } catch {
            throw LedgerError(.corrupt, "was appended outside its request's validity window (\(error.message))")
        }
        if sequence == 1 {
            let genesis = try Genesis(request: request)
            keys[genesis.adminKey.id] = genesis.adminKey
            keys[genesis.frontendKey.id] = genesis.frontendKey
        } else {
            guard let key = keys[record.keyID] else {
                throw LedgerError(.corrupt, "is signed by key \(record.keyID.short), which no earlier record introduced")
            }
            pending.append((sequence, request, key))
        }
        for key in projection.keysIntroduced(by: record) { keys[key.id] = key }
        for id in projection.keysRevoked(by: record) { keys[id] = nil }
        digests.append(record.digest)
        lastTime = record.appended
    }

    mutating func flush() throws {
        let jobs = pending
        pending.removeAll(keepingCapacity: true)
        let valid = SignatureCheck.verifyAll(jobs.map { ($0.1, $0.2) })
        if let bad = valid.firstIndex(of: false) {
            let sequence = jobs[bad].0
            throw LedgerError(.corrupt, "record \(sequence): signature is invalid", sequence: sequence)
        }
    }

    mutating func finish() throws { try flush() }
}
