import CLI
import Foundation
import Ledger
import Projections
import Testing
import TestSupport

/// `kill -9` at random moments, and what a killed process leaves in LMDB's lock table.
@Suite(.serialized, .tags(.slow), .notInFastRuns) struct CrashTests {
    /// A ledger made by `rocks init`, with its keys where `ledger-soak` looks for them.
    private func initialisedHome() throws -> TemporaryDirectory {
        let home = TemporaryDirectory("crash")
        let result = RocksCLI.run(["init", "name=espresso.rocksclusters.org", "public-ip=137.110.119.117"],
                                  context: CommandContext(environment: ["ROCKS_HOME": home.path]))
        #expect(result.status == 0, "\(result.stderr)")
        return home
    }

    private func startSoak(_ mode: String, home: String) throws -> (Process, Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ProcessRunner.product("ledger-soak"))
        process.arguments = [mode, home]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        return (process, pipe)
    }

    @Test func killNineWhileAppendingLosesNoReportedCommit() throws {
        let home = try initialisedHome()
        var generator = SystemRandomNumberGenerator()
        var reportedTotal = 0
        for run in 0..<24 {
            let (process, pipe) = try startSoak("append", home: home.path)
            usleep(UInt32.random(in: 20_000...250_000, using: &generator))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            let reported = output.split(separator: "\n").compactMap { $0.hasPrefix("committed ") ? UInt64($0.dropFirst(10)) : nil }
            reportedTotal += reported.count

            // `verify` recomputes the Merkle tree from the records and compares every stored
            // node and every checkpoint's root: a kill never leaves them apart.
            let ledger = try Ledger(directory: home.path + "/ledger", projection: DomainProjection())
            let report = try ledger.verify()
            #expect(try !ledger.needsUpgrade(), "run \(run): the tree does not cover the log")
            #expect(try ledger.latestCheckpoint().sequence == report.records)
            var sequences: [UInt64] = []
            try ledger.forEachRecord { sequences.append($0.sequence); return true }
            #expect(sequences == Array(1...report.records), "run \(run): sequence numbers are not dense")
            if let last = reported.last {
                #expect(report.records >= last, "run \(run): commit \(last) was reported but the log ends at \(report.records)")
            }
        }
        // The runs must have been appending when killed, or this test proves nothing.
        #expect(reportedTotal > 24)
    }

    /// A process that opens the ledger with a map shorter than the file another process
    /// appends to must not cut that file short: with MDB_WRITEMAP, LMDB sets the file's length
    /// to the map's on open, and the appender then dies of SIGBUS writing past the new end.
    @Test func openingWithASmallerMapLeavesAnAppendersFileWhole() throws {
        let home = try initialisedHome()
        let (appender, output) = try startSoak("append", home: home.path)
        defer {
            kill(appender.processIdentifier, SIGKILL)
            appender.waitUntilExit()
        }
        func commits(atLeast count: Int) -> Bool {
            // The soak prints a line per commit; 20 s is far more than a few hundred durable commits take.
            for _ in 0..<200 where appender.isRunning {
                if (try? Ledger(directory: home.path + "/ledger", projection: DomainProjection()).head().sequence) ?? 0 >= UInt64(count) { return true }
                usleep(100_000)
            }
            return false
        }
        #expect(commits(atLeast: 50))
        // A reader whose map is a page long: before the fix, this open cut the file to what
        // was in use.
        var options = LMDBEnvironment.Options()
        options.mapSize = 4096
        func fileSize() throws -> Int {
            try FileManager.default.attributesOfItem(atPath: home.path + "/ledger/data.mdb")[.size] as? Int ?? 0
        }
        let before = try fileSize()
        let reader = try Ledger(directory: home.path + "/ledger", projection: DomainProjection(), options: options)
        #expect(try fileSize() >= before)
        let seen = try reader.head().sequence
        #expect(commits(atLeast: Int(seen) + 300), "the appender stopped")
        #expect(appender.isRunning)
        // The pipe lives until here: its read end closing would kill the appender by SIGPIPE.
        withExtendedLifetime(output) {}
    }

    @Test func staleReadersOfAKilledProcessAreClearedAtOpen() throws {
        let home = try initialisedHome()
        // The survivor keeps the environment open: otherwise the next open is the first one
        // and LMDB resets the whole reader table, so there would be nothing left to clear.
        let (survivor, survivorOutput) = try startSoak("hold-reader", home: home.path)
        let (victim, victimOutput) = try startSoak("hold-reader", home: home.path)
        defer {
            kill(survivor.processIdentifier, SIGKILL)
            survivor.waitUntilExit()
        }
        for output in [survivorOutput, victimOutput] {
            #expect(String(decoding: output.fileHandleForReading.availableData, as: UTF8.self).hasPrefix("reading"))
        }
        kill(victim.processIdentifier, SIGKILL)
        victim.waitUntilExit()
        let ledger = try Ledger(directory: home.path + "/ledger", projection: DomainProjection())
        #expect(ledger.environment.staleReadersCleared == 1)
        #expect(try ledger.verify().records == 1)
    }
}
