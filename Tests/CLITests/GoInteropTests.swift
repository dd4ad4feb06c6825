import Foundation
import Testing
import TestSupport

/// The ledger's checkpoints and proofs checked by code this project did not write: the Go
/// checksum database's `golang.org/x/mod/sumdb/note` and `sumdb/tlog`, as Debian packages
/// them (scripts/setup.sh installs `golang-go` and `golang-golang-x-mod-dev`), driven by
/// `Tests/Interop/go-verify`, which only reads the file layouts.
@Suite struct GoInteropTests {
    /// Where `go-verify` is built; kept for the whole run (the directory goes with it).
    static let output = TemporaryDirectory("go-verify")

    /// `go-verify`, built from source with Debian's Go and its packaged x/mod, offline.
    static let tool: String = {
        let source = Fixtures.repository + "/Tests/Interop/go-verify"
        let environment = ["PATH": "/usr/bin:/bin", "GO111MODULE": "off", "GOPATH": "/usr/share/gocode", "GOCACHE": output.file("cache"),
                           "HOME": output.path, "GOFLAGS": "-buildvcs=false"]
        let build = try? ProcessRunner.run("/bin/sh", ["-c", "cd '\(source)' && go build -o '\(output.file("go-verify"))' ."], environment: environment)
        precondition(build?.status == 0, "go build failed: \(build?.stderr ?? "no go")")
        return output.file("go-verify")
    }()

    private func goVerify(_ arguments: String...) throws -> ProcessRunner.Output {
        try ProcessRunner.run(Self.tool, arguments)
    }

    @Test func goChecksEveryProofTheLedgerWrites() throws {
        let home = try RocksHome.seeded()
        let vkey = String(home.run("ledger", "checkpoint", "vkey=yes").stdout.dropLast())
        var saved: [Int: String] = [:]
        for index in 0..<12 {
            #expect(home.run("add", "host", "membership=VM Container").status == 0)
            if index % 4 == 0 {
                let path = home.directory.file("checkpoint-\(index + 4)")
                #expect(home.run("ledger", "checkpoint", "file=\(path)").status == 0)
                saved[index + 4] = path
            }
        }
        let records = 15
        for sequence in 1...records {
            let proof = home.directory.file("proof-\(sequence)")
            #expect(home.run("ledger", "proof", String(sequence), "out=\(proof)").status == 0)
            let checked = try goVerify("inclusion", vkey, proof)
            #expect(checked.status == 0 && checked.stdout.hasPrefix("record \(sequence) is in the tree of \(records) records of "),
                    "record \(sequence): \(checked.stderr)")
        }
        for (size, note) in saved.sorted(by: { $0.key < $1.key }) {
            let proof = home.directory.file("consistency-\(size)")
            #expect(home.run("ledger", "consistency", "old=\(note)", "out=\(proof)").status == 0)
            let checked = try goVerify("consistency", vkey, note, proof)
            #expect(checked.status == 0 && checked.stdout.hasPrefix("the tree of \(records) records extends the tree of \(size) records"),
                    "from \(size): \(checked.stderr)")
        }

        // Go refuses what the ledger's own verifier refuses: a changed hash, another log's key.
        let text = try String(contentsOfFile: home.directory.file("proof-5"), encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines[3] = String(repeating: "A", count: 43) + "="
        let bad = try home.write(lines.joined(separator: "\n"), "bad-proof")
        #expect(try goVerify("inclusion", vkey, bad).stderr.contains("invalid transparency proof"))
        let other = try RocksHome.initialised()
        let otherKey = String(other.run("ledger", "checkpoint", "vkey=yes").stdout.dropLast())
        #expect(try goVerify("inclusion", otherKey, home.directory.file("proof-5")).status == 1)
    }
}
