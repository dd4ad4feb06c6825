import Foundation
import Testing
import TestSupport

/// The built `rocks` binary, as an operator runs it: real exit statuses and streams.
@Suite struct ExecutableTests {
    private func rocks(_ home: String, _ arguments: String...) throws -> ProcessRunner.Output {
        try ProcessRunner.run(ProcessRunner.product("rocks"), arguments, environment: ["ROCKS_HOME": home, "PATH": "/usr/bin:/bin"])
    }

    @Test func theBinaryRunsTheQuickStart() throws {
        let home = TemporaryDirectory("binary")
        let initialised = try rocks(home.path, "init", "espresso.rocksclusters.org", "137.110.119.117")
        #expect(initialised.status == 0, "\(initialised.stderr)")
        #expect(initialised.stdout.hasPrefix("created ledger "))
        let checkpoint = home.file("checkpoint.json")
        #expect(try rocks(home.path, "ledger", "checkpoint", "file=\(checkpoint)").status == 0)
        #expect(try rocks(home.path, "add", "host", "key", "espresso", Fixtures.path("envelope/test-signer.pub")).status == 0)
        let verified = try rocks(home.path, "ledger", "verify", "since=\(checkpoint)")
        #expect(verified.stdout.hasPrefix("verified 2 records and 2 checkpoints; head 2 "))
        #expect(verified.stdout.hasSuffix("; grew from checkpoint 1\n"))
        let failed = try rocks(home.path, "add", "host", "key", "espresso", Fixtures.path("envelope/test-signer.pub"))
        #expect(failed.status == 1)
        #expect(failed.stdout.isEmpty)
        #expect(failed.stderr == "error - the public key already exists for host espresso\n")
    }

    /// `pilot` is for an owner's laptop: it links neither LMDB nor libvirt, and speaks Rocks'
    /// one-line errors.
    @Test func pilotLinksNeitherLMDBNorLibvirt() throws {
        let linked = try ProcessRunner.run("ldd", [ProcessRunner.product("pilot")])
        #expect(linked.status == 0 && linked.stdout.contains("libssl"), "\(linked.stdout)")
        #expect(!linked.stdout.contains("lmdb") && !linked.stdout.contains("libvirt"), "\(linked.stdout)")
        let unknown = try ProcessRunner.run(ProcessRunner.product("pilot"), ["open", "host", "door"])
        #expect(unknown.status == 1 && unknown.stderr.hasPrefix("error - unknown command") && unknown.stderr.split(separator: "\n").count == 1)
        let missing = try ProcessRunner.run(ProcessRunner.product("pilot"), ["set", "host", "power", "action=on"])
        #expect(missing.status == 1 && missing.stderr.hasPrefix("error - "), "\(missing.stderr)")
    }

    /// `rocks` allocates through jemalloc (`Package.swift`'s `allocator`), which a rebuild's
    /// batches of small values need. A linker that dropped the library, or a libc found before
    /// it, would leave glibc's `malloc` in place without a word: jemalloc alone reads
    /// `MALLOC_CONF` and prints its statistics at exit when asked.
    @Test func rocksAllocatesThroughJemalloc() throws {
        let output = try ProcessRunner.run(ProcessRunner.product("rocks"), ["--help"], environment: ["MALLOC_CONF": "stats_print:true"])
        #expect(output.status == 0)
        #expect(output.stderr.contains("Begin jemalloc statistics"))
    }

    @Test(arguments: [["--help"], ["add", "host", "key", "--help"], ["ledger", "--help"]])
    func helpMatchesGoldenFiles(arguments: [String]) throws {
        let output = try ProcessRunner.run(ProcessRunner.product("rocks"), arguments, environment: ["COLUMNS": "100"])
        #expect(output.status == 0)
        let name = "help/" + (arguments.dropLast().isEmpty ? "rocks" : arguments.dropLast().joined(separator: "-")) + ".txt"
        #expect(try Fixtures.matchesGolden(output.stdout, name))
    }

    /// Help for a command that does not exist is an error, not the nearest group's help.
    @Test(arguments: [(["help", "nosuch"], "valid: init, create, add"), (["ledger", "nosuch", "--help"], "valid: head, log, show, verify"),
                      (["add", "nosuch", "-h"], "valid: host, cluster")])
    func helpForAnUnknownCommandIsAnError(arguments: [String], valid: String) throws {
        let output = try ProcessRunner.run(ProcessRunner.product("rocks"), arguments)
        #expect(output.status == 1)
        #expect(output.stdout.isEmpty)
        #expect(output.stderr.hasPrefix("error - unknown command 'nosuch' (\(valid)") && output.stderr.split(separator: "\n").count == 1,
                "\(output.stderr)")
        // A command's own words (a default command's parameters) still get its help.
        #expect(try ProcessRunner.run(ProcessRunner.product("rocks"), ["add", "host", "vm-container-0-0", "--help"]).status == 0)
    }
}
