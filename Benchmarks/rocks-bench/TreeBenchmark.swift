import Foundation
import Ledger
import Signing
import Transparency

/// The Merkle tree's share of a batched append, and proofs from a tree of a million records.
enum TreeBenchmark {
    /// Times what the tree adds to `count` appends in commits of `batchSize` (each commit's
    /// right edge read, each record's leaf and nodes in one put, and the commit's root), on
    /// its own environment, against the batched append time measured in the same run, which
    /// includes it.
    static func upkeep(count: Int, batchSize: Int, appendTime: Double) throws {
        let directory = scratch("tree-upkeep")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (environment, tree) = try treeEnvironment(directory)
        let digests = (0..<count).map { SHA256.hash(withUnsafeBytes(of: UInt64($0)) { Array($0) }) }
        let time = try seconds {
            var next = 0
            while next < count {
                let end = min(next + batchSize, count)
                _ = try environment.write { txn in
                    var leaves = try tree.appender(in: txn)
                    for index in next..<end { try digests[index].withUnsafeBytes { try leaves.add(sequence: UInt64(index + 1), digest: $0, in: txn) } }
                    return leaves.root
                }
                next = end
            }
        }
        print("tree upkeep (\(count) leaves, \(batchSize) per commit, without fsync): \(rate(count, time))  "
              + "\(String(format: "%.1f", 100 * time / appendTime)) % of the batched signed appends above, which include it (aim < 5 %)")
    }

    /// Builds a tree of `size` leaves, then times inclusion and consistency proofs at random
    /// places in it, each in its own read transaction as `rocks ledger proof` reads.
    static func proofs(size: Int, samples: Int) throws {
        let directory = scratch("tree-proofs")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (environment, tree) = try treeEnvironment(directory)
        let buildTime = try seconds {
            for start in stride(from: 0, to: size, by: 10_000) {
                try environment.write { txn in
                    var leaves = try tree.appender(in: txn)
                    for index in start..<min(start + 10_000, size) {
                        try SHA256.hash(withUnsafeBytes(of: UInt64(index)) { Array($0) }).withUnsafeBytes { digest in
                            try leaves.add(sequence: UInt64(index + 1), digest: digest, in: txn)
                        }
                    }
                }
            }
        }
        var generator = SeededRandom(state: 24)
        let targets = (0..<samples).map { _ in UInt64.random(in: 1...UInt64(size), using: &generator) }
        let root = try environment.read { txn in try tree.root(size: UInt64(size), in: txn) }
        var checked = 0
        let inclusionTime = try seconds {
            for sequence in targets {
                let path = try environment.read { txn in try tree.inclusionProof(sequence: sequence, size: UInt64(size), in: txn) }
                checked += path.count
            }
        }
        // Checked once outside the clock: the proofs timed are proofs.
        let leaf = MerkleHash.leaf(SHA256.hash(withUnsafeBytes(of: targets[0] - 1) { Array($0) }))
        let path = try environment.read { txn in try tree.inclusionProof(sequence: targets[0], size: UInt64(size), in: txn) }
        try MerkleProof.verifyInclusion(index: targets[0] - 1, size: UInt64(size), leafHash: leaf, proof: path, root: root)
        let consistencyTime = try seconds {
            for old in targets {
                checked += try environment.read { txn in try tree.consistencyProof(from: old, to: UInt64(size), in: txn) }.count
            }
        }
        print("proofs at \(size) records (tree built in \(String(format: "%.1f", buildTime)) s; \(checked / (2 * samples)) hashes each on average): "
              + "inclusion \(microseconds(inclusionTime / Double(samples))) each, consistency \(microseconds(consistencyTime / Double(samples))) each "
              + "(aim < 1 ms)")
    }

    private static func treeEnvironment(_ directory: String) throws -> (LMDBEnvironment, MerkleTreeStore) {
        var options = LMDBEnvironment.Options()
        options.unsafeNoSyncForTests = true
        let environment = try LMDBEnvironment(directory: directory, databaseNames: [Ledger.treeName], options: options)
        return (environment, MerkleTreeStore(database: environment.database(Ledger.treeName)))
    }
}
