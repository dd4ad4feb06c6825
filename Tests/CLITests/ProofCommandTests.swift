import Foundation
import Testing
import TestSupport

/// `rocks ledger checkpoint`, `proof`, `consistency` and `verify-proof`: the files an
/// auditor or an owner keeps and checks, offline, with nothing but the verifier key.
@Suite struct ProofCommandTests {
    /// `verify-proof` run with a ROCKS_HOME that holds no ledger: it must not need one.
    private func verifyOffline(_ arguments: String...) -> (status: Int32, stdout: String, stderr: String) {
        let elsewhere = RocksHome()
        let result = elsewhere.run(["ledger", "verify-proof"] + arguments)
        #expect(!FileManager.default.fileExists(atPath: elsewhere.path + "/ledger"))
        return (result.status, result.stdout, result.stderr)
    }

    @Test func aProofOfARecordVerifiesOfflineAndNothingElseDoes() throws {
        let home = try RocksHome.seeded()
        let vkey = home.run("ledger", "checkpoint", "vkey=yes").stdout.dropLast()
        // <name>+<key id, 8 hex digits>+<base64 key, which may hold '+'>
        let parts = vkey.split(separator: "+", maxSplits: 2)
        let origin = "espresso.rocksclusters.org/rocks/" + (try home.ledger().id.hex)
        #expect(parts.count == 3 && parts[0] == origin && parts[1].count == 8, "\(vkey)")
        let vkeyFile = try home.write(String(vkey) + "\n", "vkey.txt")
        #expect(home.run("ledger", "proof", "2", "out=\(home.path)/p2").stdout == "proof of record 2 written to \(home.path)/p2\n")
        let proof = try String(contentsOfFile: home.path + "/p2", encoding: .utf8)
        #expect(proof.hasPrefix("c2sp.org/tlog-proof@v1\nextra ") && proof.contains("\nindex 1\n"), "\(proof)")

        let verified = verifyOffline(home.path + "/p2", "vkey=\(vkey)")
        #expect(verified.status == 0 && verified.stdout.hasPrefix("included: record 2 (add host) is in the log of 3 records"), "\(verified)")
        #expect(verifyOffline(home.path + "/p2", "vkey=\(vkeyFile)").status == 0)

        // One hash of the path changed, the index moved, another log's key: each refused in one line.
        var lines = proof.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let hashLine = try #require(lines.firstIndex { $0.hasPrefix("index ") }) + 1
        lines[hashLine] = String(repeating: "A", count: 43) + "="
        let badHash = try home.write(lines.joined(separator: "\n"), "bad-hash")
        lines = proof.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines[hashLine - 1] = "index 2"
        let badIndex = try home.write(lines.joined(separator: "\n"), "bad-index")
        let other = try RocksHome.initialised()
        let otherKey = String(other.run("ledger", "checkpoint", "vkey=yes").stdout.dropLast())
        for (arguments, fragment) in [([badHash, "vkey=\(vkey)"], "leads to another root than the tree of 3 leaves has"),
                                      ([badIndex, "vkey=\(vkey)"], "the record proved is record 2, not record 3"),
                                      ([home.path + "/p2", "vkey=\(otherKey)"], "the verifier key is for"),
                                      ([home.path + "/p2", "vkey=nonsense"], "vkey: ")] {
            let result = verifyOffline(arguments[0], arguments[1])
            #expect(result.status == 1 && result.stdout.isEmpty && result.stderr.hasPrefix("error - ") && result.stderr.contains(fragment)
                    && result.stderr.split(separator: "\n").count == 1, "\(arguments): \(result.stderr)")
        }

        // Without the record in the proof, the verifier brings it; a different record is refused.
        #expect(home.run("ledger", "proof", "3", "record=no", "out=\(home.path)/p3").status == 0)
        let bare = verifyOffline(home.path + "/p3", "vkey=\(vkey)")
        #expect(bare.status == 1 && bare.stderr.contains("give its stored bytes with leaf="))
        let record3 = home.directory.file("record3")
        try Data(try #require(try home.ledger().record(3)).bytes).write(to: URL(fileURLWithPath: record3))
        #expect(verifyOffline(home.path + "/p3", "vkey=\(vkey)", "leaf=\(record3)").stdout.hasPrefix("included: record 3 (add host)"))
        let record2 = home.directory.file("record2")
        try Data(try #require(try home.ledger().record(2)).bytes).write(to: URL(fileURLWithPath: record2))
        #expect(verifyOffline(home.path + "/p3", "vkey=\(vkey)", "leaf=\(record2)").stderr.contains("is record 2, not record 3"))
        #expect(verifyOffline(home.path + "/p2", "vkey=\(vkey)", "leaf=\(record3)").stderr.contains("leaf= differs from the record"))
    }

    @Test func aSavedCheckpointIsExtendedAndAForkIsNamed() throws {
        let home = try RocksHome.seeded()
        let vkey = String(home.run("ledger", "checkpoint", "vkey=yes").stdout.dropLast())
        #expect(home.run("ledger", "checkpoint", "file=\(home.path)/cp3").status == 0)
        #expect(try String(contentsOfFile: home.path + "/cp3", encoding: .utf8) == home.run("ledger", "checkpoint").stdout)

        // A copy of this ROCKS_HOME, keys and all, takes a different fourth record: a fork.
        let fork = RocksHome()
        #expect(try ProcessRunner.run("/bin/cp", ["-a", home.path + "/.", fork.path]).status == 0)
        #expect(home.run("add", "host", "membership=VM Container").status == 0)
        #expect(fork.run("add", "host", "membership=Compute", "name=compute-0-0").status == 0)
        #expect(home.run("ledger", "checkpoint", "file=\(home.path)/cp4").status == 0)
        #expect(fork.run("ledger", "checkpoint", "file=\(fork.path)/cp4").status == 0)
        #expect(home.run("ledger", "consistency", "old=\(home.path)/cp4", "out=\(home.path)/c4").status == 0)
        #expect(home.run("add", "host", "membership=VM Container").status == 0)

        #expect(home.run("ledger", "consistency", "old=\(home.path)/cp3", "out=\(home.path)/c3").status == 0)
        let consistent = verifyOffline(home.path + "/c3", "vkey=\(vkey)", "old=\(home.path)/cp3")
        #expect(consistent.stdout == "consistent: the log of 5 records extends the log of 3 (\(vkey.split(separator: "+")[0]))\n", "\(consistent)")
        #expect(home.run("ledger", "verify", "since=\(home.path)/cp3").stdout.hasSuffix("; grew from checkpoint 3\n"))

        // The fork's checkpoint of 4 records is not an ancestor of this log.
        expectOneErrorLine(home.run("ledger", "consistency", "old=\(fork.path)/cp4"), "differs from the old checkpoint's: the log was rewritten")
        expectOneErrorLine(home.run("ledger", "verify", "since=\(fork.path)/cp4"), "record 4 differs from the checkpoint: the log was rewritten")
        // Two signed checkpoints of 4 records with different roots are proof of a fork.
        let forked = verifyOffline(home.path + "/c4", "vkey=\(vkey)", "old=\(fork.path)/cp4")
        #expect(forked.status == 1 && forked.stderr.contains("the log forked: two checkpoints of 4 leaves with different roots"), "\(forked)")
        // A proof from this log's fourth record does not link the fork's checkpoint to the fifth.
        #expect(home.run("ledger", "consistency", "old=\(home.path)/cp4", "out=\(home.path)/c45").status == 0)
        let unlinked = verifyOffline(home.path + "/c45", "vkey=\(vkey)", "old=\(fork.path)/cp4")
        #expect(unlinked.status == 1 && unlinked.stderr.contains("the proof does not link the checkpoint of 4 leaves to the one of 5"), "\(unlinked)")
        // Nor does a proof with one hash changed link this log's own checkpoints.
        let proofText = try String(contentsOfFile: home.path + "/c3", encoding: .utf8)
        var lines = proofText.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines[1] = String(repeating: "B", count: 43) + "="
        let broken = try home.write(lines.joined(separator: "\n"), "broken")
        #expect(verifyOffline(broken, "vkey=\(vkey)", "old=\(home.path)/cp3").status == 1)
    }
}
