import Foundation
import Testing
import TestSupport

/// An auditor who cannot write the ledger (here `nobody`, on a copy made read-only with
/// `chmod -R a+rX,a-w`) lists and verifies it: commands that do not append open it
/// read-only, without LMDB's lock file when they cannot write that, and say so.
@Suite(.tags(.root), .notInFastRuns) struct ReadOnlyAuditTests {
    private func asNobody(_ home: String, _ arguments: String...) throws -> ProcessRunner.Output {
        try ProcessRunner.run("/usr/bin/setpriv", ["--reuid=nobody", "--regid=nogroup", "--clear-groups", ProcessRunner.product("rocks")] + arguments,
                              environment: ["ROCKS_HOME": home, "PATH": "/usr/bin:/bin"])
    }

    /// Every file under `directory` and its bytes' SHA-256, to show nothing was written.
    private func contents(_ directory: String) throws -> [String: String] {
        var files: [String: String] = [:]
        for name in try FileManager.default.subpathsOfDirectory(atPath: directory) {
            let path = directory + "/" + name
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            files[name] = try ProcessRunner.run("/usr/bin/sha256sum", [path]).stdout
        }
        return files
    }

    @Test func nobodyListsAndVerifiesAReadOnlyCopy() throws {
        let home = try RocksHome.seeded()
        let listed = home.run("list", "host")
        let copy = TemporaryDirectory("audit")
        #expect(try ProcessRunner.run("/bin/cp", ["-a", home.path + "/ledger", copy.path + "/ledger"]).status == 0)
        #expect(try ProcessRunner.run("/bin/chmod", ["-R", "a+rX,a-w", copy.path]).status == 0)
        let before = try contents(copy.path)
        #expect(before.keys.sorted() == ["ledger/data.mdb", "ledger/lock.mdb"])

        let warning = "warning - the ledger's lock file cannot be opened for writing, so it is read without LMDB's locks: "
            + "unsafe while anything appends to it\n"
        let list = try asNobody(copy.path, "list", "host")
        #expect(list.status == 0, "\(list.stderr)")
        #expect(list.stdout == listed.stdout)
        #expect(list.stderr == warning)
        let verify = try asNobody(copy.path, "ledger", "verify")
        #expect(verify.status == 0, "\(verify.stderr)")
        #expect(verify.stdout.hasPrefix("verified 3 records and 3 checkpoints; head 3 "), "\(verify.stdout)")
        #expect(verify.stderr == warning)
        let log = try asNobody(copy.path, "ledger", "log")
        #expect(log.status == 0 && log.stdout.split(separator: "\n").count == 3, "\(log.stderr)")
        // Appending needs the keys and a writable ledger: refused in one line, nothing written.
        let add = try asNobody(copy.path, "add", "host", "membership=VM Container")
        #expect(add.status == 1 && add.stderr.hasPrefix("error - ") && add.stderr.split(separator: "\n").count == 1, "\(add.stderr)")
        #expect(try contents(copy.path) == before)
    }
}
