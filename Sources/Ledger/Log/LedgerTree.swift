import Signing
import Transparency

/// The Merkle tree's part of the ledger: the checkpoint every commit signs, the proofs an
/// auditor or an owner checks offline, and the upgrade of a ledger written before the tree.
extension Ledger {
    /// The tree, when it covers every record up to `head`, which an append extends.
    func completeTree(head: UInt64, in txn: borrowing Transaction) throws -> MerkleTreeStore {
        guard let tree, try tree.size(in: txn) == head else {
            throw LedgerError(.storage, "this ledger was written before its Merkle tree and signed-note checkpoints: "
                                        + "run 'rocks ledger upgrade', which keeps every record")
        }
        return tree
    }

    /// The signed note of the tree of `size` records with `root`.
    func sign(size: UInt64, root: [UInt8], with signer: NoteSigner) throws -> SignedCheckpoint {
        do {
            return try SignedCheckpoint.sign(Checkpoint(origin: origin, size: size, root: root), with: signer)
        } catch {
            throw LedgerError(.malformedCheckpoint, "cannot sign the checkpoint: \(error.message)")
        }
    }

    /// Why the newest checkpoint does not vouch for `head` (its sequence and digest), or nil
    /// when it does: signed by this ledger's frontend key, for this record and, for a note,
    /// the root of `tree` at that size.
    func headCoverageProblem(head: (sequence: UInt64, digest: [UInt8]), tree: MerkleTreeStore?, in txn: borrowing Transaction) throws -> String? {
        guard let (_, document) = try txn.last(checkpoints) else { return "the ledger has no checkpoint" }
        guard let checkpoint = try? StoredCheckpoint(bytes: document),
              checkpoint.isSigned(for: id, by: verifierKey, frontendKey: genesis.frontendKey)
        else {
            return "the newest checkpoint is not one this ledger's frontend key signed"
        }
        guard checkpoint.sequence == head.sequence else {
            return "record \(head.sequence), the head of the log, is not covered by the newest checkpoint (record \(checkpoint.sequence))"
        }
        var root: [UInt8] = []
        if case .note = checkpoint {
            guard let tree, try tree.size(in: txn) == head.sequence else {
                return "the Merkle tree does not cover the log: run 'rocks ledger rebuild'"
            }
            root = try tree.root(size: head.sequence, in: txn)
        }
        guard checkpoint.covers(sequence: head.sequence, digest: head.digest, root: root) else {
            return "record \(head.sequence) differs from the one the newest checkpoint covers"
        }
        return nil
    }

    /// Why the newest checkpoint does not vouch for the head of the log, or nil when it does.
    /// A cheap check for every reader; `verify` checks every record and checkpoint.
    public func headCoverageProblem() throws -> String? {
        try environment.read { txn in
            let head = try head(in: txn)
            return try headCoverageProblem(head: (head.sequence, head.digest), tree: tree, in: txn)
        }
    }

    /// Whether the ledger predates its tree: its tree does not cover every record (it takes
    /// no appends until upgraded), or its newest checkpoint is still JSON (a rebuild computed
    /// the tree, but no note vouches for it yet, and no proof can be drawn).
    public func needsUpgrade() throws -> Bool {
        try environment.read { txn in
            guard try tree?.size(in: txn) == head(in: txn).sequence, let (_, newest) = try txn.last(checkpoints) else { return true }
            if case .json = try StoredCheckpoint(bytes: newest) { return true }
            return false
        }
    }

    /// Brings a ledger written before the Merkle tree up to date, in one transaction: checks
    /// the records as a rebuild does while computing the tree, and signs a note checkpoint for
    /// the head. Every record is kept, and every checkpoint but the newest JSON one, which
    /// the note for the same record replaces (an auditor's saved copy of it still verifies
    /// with `verify since=`, against the record's digest). Returns the head's sequence.
    @discardableResult
    public func upgrade() throws -> UInt64 {
        guard let noteSigner else {
            throw LedgerError(.unknownKey, "upgrading signs a checkpoint: open the ledger with the frontend key")
        }
        return try rebuild { txn, head in
            let signed = try sign(size: head, root: completeTree(head: head, in: txn).root(size: head, in: txn), with: noteSigner)
            try txn.put(checkpoints, StoredCheckpoint.key(head), signed.bytes)
        }
    }

    /// The newest checkpoint, which must be a note (a ledger not yet upgraded has none).
    private func newestNote(in txn: borrowing Transaction) throws -> SignedCheckpoint {
        guard let (_, document) = try txn.last(checkpoints), case .note(let note, let checkpoint) = try StoredCheckpoint(bytes: document) else {
            throw LedgerError(.malformedCheckpoint, "the newest checkpoint is not a signed note: run 'rocks ledger upgrade'")
        }
        guard let verifierKey, let signed = try? SignedCheckpoint(note: note, key: verifierKey), signed.checkpoint == checkpoint else {
            throw LedgerError(.corrupt, "checkpoint \(checkpoint.size): not signed by this ledger's frontend key")
        }
        return signed
    }

    /// The c2sp.org/tlog-proof@v1 file proving record `sequence` is in the tree of the newest
    /// checkpoint, with the record's stored bytes as its extra data (their SHA-256 is the
    /// record's digest, the leaf).
    public func inclusionProof(sequence: UInt64, withRecord: Bool = true) throws -> InclusionProofFile {
        try inclusionProofs(sequences: [sequence], withRecord: withRecord)[0]
    }

    /// ``inclusionProof(sequence:withRecord:)`` for several records, against one checkpoint, in
    /// one read transaction: the receipts of a commit's group.
    public func inclusionProofs(sequences: [UInt64], withRecord: Bool = true) throws -> [InclusionProofFile] {
        try environment.read { txn in
            let signed = try newestNote(in: txn)
            let size = signed.checkpoint.size
            return try sequences.map { sequence in
                guard sequence >= 1, sequence <= size else {
                    throw LedgerError(.corrupt, "record \(sequence) is not in the log (records 1 to \(size))")
                }
                guard let tree, let record = try txn.get(records, SequenceKey.encode(sequence)) else {
                    throw LedgerError(.storage, "the ledger has no Merkle tree: run 'rocks ledger upgrade'")
                }
                let path = try tree.inclusionProof(sequence: sequence, size: size, in: txn)
                do {
                    return try InclusionProofFile(extra: withRecord ? record : nil, index: sequence - 1, path: path, checkpoint: signed)
                } catch let error as TransparencyError {
                    throw LedgerError(.tooLarge, "record \(sequence): \(error.message)")
                }
            }
        }
    }

    /// The proof that the newest checkpoint's tree extends the one `old` (a note of this
    /// ledger) signed, in the tlog-witness layout.
    public func consistencyProof(from old: SignedNote) throws -> ConsistencyProofFile {
        try environment.read { txn in
            let signed = try newestNote(in: txn)
            guard let verifierKey else { throw LedgerError(.unknownKey, "this ledger cannot sign notes") }
            let previous: Checkpoint
            do {
                previous = try SignedCheckpoint(note: old, key: verifierKey).checkpoint
            } catch let error as TransparencyError {
                throw LedgerError(.wrongLedger, "the old checkpoint: \(error.message)")
            }
            guard let tree, previous.size <= signed.checkpoint.size else {
                throw LedgerError(.truncated, "the old checkpoint covers \(previous.size) records, but the log has \(signed.checkpoint.size): records were removed")
            }
            guard try tree.root(size: previous.size, in: txn) == previous.root else {
                throw LedgerError(.truncated, "the log of \(previous.size) records differs from the old checkpoint's: the log was rewritten")
            }
            let proof = try tree.consistencyProof(from: previous.size, to: signed.checkpoint.size, in: txn)
            do {
                return try ConsistencyProofFile(oldSize: previous.size, proof: proof, checkpoint: signed)
            } catch let error as TransparencyError {
                throw LedgerError(.corrupt, "the consistency proof: \(error.message)")
            }
        }
    }
}
