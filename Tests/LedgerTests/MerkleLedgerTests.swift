import Foundation
import Ledger
import Projections
import Signing
import Testing
import TestSupport
import Transparency

/// The Merkle tree the ledger keeps over its records, the signed-note checkpoint every
/// commit writes, and the proofs drawn from them, checked with the Transparency library's
/// verifiers against a tree recomputed from the records alone.
@Suite struct MerkleLedgerTests {
    /// The leaf hashes of every record, read from the records themselves.
    private func leafHashes(_ ledger: Ledger) throws -> [[UInt8]] {
        var hashes: [[UInt8]] = []
        try ledger.forEachRecord { record in
            hashes.append(MerkleHash.leaf(record.digest))
            return true
        }
        return hashes
    }

    /// The root of the first `size` leaves, recomputed without the ledger's tree.
    private func root(_ leaves: [[UInt8]], size: Int) -> [UInt8] {
        var builder = MerkleTreeBuilder()
        for leaf in leaves.prefix(size) { builder.append(leafHash: leaf) }
        return builder.root
    }

    @Test func everyCommitSignsANoteOfTheTreeOverItsRecords() throws {
        let test = try TestLedger()
        var notes: [SignedCheckpoint] = []
        let key = try #require(test.ledger.verifierKey)
        #expect(key.name == "\(TestLedger.frontendName)/rocks/\(test.ledger.id.hex)")
        func saveNote() throws {
            guard case .note(let note, _) = try test.ledger.latestCheckpoint() else { Issue.record("not a note"); return }
            notes.append(try SignedCheckpoint(note: note, key: key))
        }
        try saveNote()
        for batch in [1, 1, 5, 2, 9, 1, 13] {
            _ = try test.ledger.append(batch: (0..<batch).map { _ in try test.addHostKey(try PrivateKey.generate()) })
            try saveNote()
        }
        let leaves = try leafHashes(test.ledger)
        #expect(leaves.count == 33 && notes.last?.checkpoint.size == 33)
        for note in notes {
            #expect(note.checkpoint.root == root(leaves, size: Int(note.checkpoint.size)), "size \(note.checkpoint.size)")
        }
        // Every record's inclusion proof in the newest tree verifies, with its record as extra.
        let newest = try #require(notes.last).checkpoint
        for sequence in 1...UInt64(leaves.count) {
            let proof = try test.ledger.inclusionProof(sequence: sequence)
            let record = try #require(try test.ledger.record(sequence))
            #expect(proof.extra == record.bytes && proof.index == sequence - 1)
            #expect(try proof.verify(leaf: record.digest, key: key) == newest)
            #expect(throws: TransparencyError.self) { try proof.verify(leaf: SHA256.hash(record.digest), key: key) }
        }
        // Every saved note is extended by the newest tree.
        for note in notes {
            let proof = try test.ledger.consistencyProof(from: note.note)
            let (old, new) = try proof.verify(old: note.note, key: key)
            #expect(old == note.checkpoint && new == newest)
        }
        #expect(try test.ledger.verify().checkpoints == notes.count)
    }

    /// A rebuild recomputes the tree byte for byte, and restores one that was lost.
    @Test func aRebuildRecomputesTheTree() throws {
        let test = try TestLedger()
        try test.fill(40, batch: 7)
        func treeEntries() throws -> [[UInt8]] {
            try test.ledger.read { txn in
                var entries: [[UInt8]] = []
                try txn.forEach(in: test.ledger.environment.database(Ledger.treeName)) { key, value in
                    entries.append(Array(key) + Array(value))
                    return true
                }
                return entries
            }
        }
        let before = try treeEntries()
        #expect(before.count == 41)
        try test.ledger.environment.write { txn in try txn.empty(test.ledger.environment.database(Ledger.treeName)) }
        #expect(try test.ledger.needsUpgrade())
        #expect(throws: LedgerError.self) { try test.ledger.append(try test.addHostKey(try PrivateKey.generate())) }
        #expect(try test.ledger.rebuild() == 41)
        #expect(try treeEntries() == before)
        #expect(try !test.ledger.needsUpgrade())
    }

    /// A stored node that is not the one the records give is named by `verify`.
    @Test func aDamagedTreeNodeIsNamed() throws {
        let test = try TestLedger()
        try test.fill(20, batch: 3)
        for sequence: UInt64 in [1, 8, 21] {
            let copy = TemporaryDirectory("tree")
            try test.copyDataFile(to: copy.path)
            do {
                let environment = try LMDBEnvironment(directory: copy.path, databaseNames: [Ledger.treeName])
                try environment.write { txn in
                    let database = environment.database(Ledger.treeName)
                    var value = try #require(try txn.get(database, SequenceKey.encode(sequence)))
                    value[value.count - 1] ^= 0x01
                    try txn.put(database, SequenceKey.encode(sequence), value)
                }
            }
            let error = #expect(throws: LedgerError.self) { try test.reopen(copy.path).verify() }
            #expect(error?.sequence == sequence && error?.message.contains("Merkle tree") == true, "\(String(describing: error))")
        }
    }

    /// The appender extends the stored tree only with the record after its last: a record out
    /// of order is refused and stores nothing, and one continued in a later commit stores the
    /// nodes a builder that saw every leaf finishes.
    @Test func theTreeIsExtendedOnlyInOrder() throws {
        let directory = TemporaryDirectory("tree-order")
        let environment = try LMDBEnvironment(directory: directory.path, databaseNames: [Ledger.treeName])
        let tree = MerkleTreeStore(database: environment.database(Ledger.treeName))
        let digests = (0..<5).map { SHA256.hash([UInt8($0)]) }
        try environment.write { txn in
            var leaves = try tree.appender(in: txn)
            for index in 0..<3 { try digests[index].withUnsafeBytes { try leaves.add(sequence: UInt64(index + 1), digest: $0, in: txn) } }
        }
        try environment.write { txn in
            var leaves = try tree.appender(in: txn)
            let error = #expect(throws: LedgerError.self) {
                try digests[4].withUnsafeBytes { try leaves.add(sequence: 5, digest: $0, in: txn) }
            }
            #expect(error?.code == .corrupt)
            try digests[3].withUnsafeBytes { try leaves.add(sequence: 4, digest: $0, in: txn) }
            #expect(leaves.root == root(digests.prefix(4).map(MerkleHash.leaf), size: 4))
        }
        let (size, fourth) = try environment.read { txn in (try tree.size(in: txn), try txn.get(tree.database, SequenceKey.encode(4))) }
        var builder = MerkleTreeBuilder()
        let finished = digests.prefix(4).map { builder.append(leafHash: MerkleHash.leaf($0)) }.last
        #expect(size == 4 && fourth == finished.map { Array($0.joined()) })
    }
}
