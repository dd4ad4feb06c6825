import Foundation
import Signing
import Testing
import TestSupport

/// The README's first command, `scripts/demo.sh`, run as a user runs it (with the built
/// `rocks` and `pilot`, so it skips the setup and the build), twice, then `clean`. In the one
/// serialized suite of real-VM tests: it uses the seed cluster's VM and link names.
extension LibvirtVMTests {
    static let demoVMs = ["frontend-0-0-0", "hosted-vm-0-0-1", "hosted-vm-0-1-0", "frontend-0-1-1"]

    @Test func theMainJobWalksTheWholeStoryTwiceThenCleansUp() throws {
        let directory = TemporaryDirectory("demo")
        let home = directory.file("rocks")
        let airboss = "127.0.0.1:\(try SSHServer.freeLoopbackPort())"
        func demo(_ arguments: String...) throws -> ProcessRunner.Output {
            var environment = ProcessInfo.processInfo.environment
            environment["ROCKS_HOME"] = home
            environment["ROCKS_DEMO_BIN"] = ProcessRunner.productsDirectory
            environment["ROCKS_DEMO_AIRBOSS"] = airboss
            environment["ROCKS_LIBVIRT_URI"] = nil
            return try ProcessRunner.run("/bin/bash", [Fixtures.script("demo.sh")] + arguments, environment: environment)
        }
        func rocks(_ arguments: String...) throws -> ProcessRunner.Output {
            try ProcessRunner.run(ProcessRunner.product("rocks"), arguments, environment: ProcessInfo.processInfo.environment.merging(["ROCKS_HOME": home]) { $1 })
        }
        for vm in Self.demoVMs { RealCluster.forget(vm) }
        RealCluster.deleteLinks()
        defer {
            _ = try? demo("clean")
            for vm in Self.demoVMs { RealCluster.forget(vm) }
            RealCluster.deleteLinks()
        }

        for run in 1...2 {
            let output = try demo()
            try #require(output.status == 0, "run \(run): \(output.stderr)\n\(output.stdout.suffix(3000))")
            let stdout = output.stdout
            #expect(stdout.contains("removing the previous demo") == (run == 2))
            // The owner's power on really started both computes, and their power off stopped them.
            let running = try #require(section(stdout, after: "\n$ virsh list\n"))
            for vm in ["hosted-vm-0-0-1", "hosted-vm-0-1-0"] {
                #expect(running.contains(vm) && running.split(separator: "\n").contains { $0.contains(vm) && $0.contains("running") }, "\(running)")
                #expect(RealCluster.state(vm) == "shut off", "\(vm) is \(RealCluster.state(vm))")
            }
            #expect(!running.contains("frontend-0-0-0"))
            // The stranger, another cluster's owner, was denied, and the denial is on the record.
            #expect(output.stderr.contains("error - the Airboss denied the request: "), "\(output.stderr)")
            let denied = try CanonicalJSON.decode(Array(try rocks("ledger", "log", "denied=yes", "output-format=json").stdout.dropLast().utf8))
            let deniedRows = try #require(denied.arrayValue)
            #expect(deniedRows.count == 1)
            #expect(deniedRows.first?["op"]?.stringValue == "set host power")
            #expect(deniedRows.first?["who"]?.stringValue == "cluster:frontend-0-1-1")
            // The audit: the receipt, the consistency proof and the ledger, each verified.
            let receipt = try #require(section(stdout, after: "\n$ pilot verify receipt="))
            #expect(receipt.contains("verified: record ") && receipt.contains("allowed) is in the log of "), "\(receipt)")
            let proof = try #require(section(stdout, after: "\n$ rocks ledger verify-proof "))
            #expect(proof.contains("consistent: the log of "), "\(proof)")
            let verified = try #require(section(stdout, after: "\n$ rocks ledger verify since="))
            #expect(verified.contains("verified ") && verified.contains(" records and "), "\(verified)")
            // The console's screenshot: a PNG of the guest's screen, not a single colour.
            let png = home + "/demo-files/console.png"
            #expect(stdout.contains("the console's screen: \(png)"))
            let colours = try ProcessRunner.run("python3", ["-c", Self.pngColours, png])
            #expect(colours.status == 0 && (Int(colours.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) > 1,
                    "\(colours.stdout) \(colours.stderr)")
            // The Airboss keeps running; nothing else does.
            let pid = try #require(pid_t(try String(contentsOfFile: home + "/airboss.pid", encoding: .utf8).split(separator: " ").first ?? ""))
            #expect(Self.runs(pid))
            #expect(!(try ProcessRunner.run("pgrep", ["-f", "pilot open host console"]).stdout.contains(where: \.isNumber)))
            #expect(stdout.contains("stop service airboss"))
        }

        let pid = try #require(pid_t(try String(contentsOfFile: home + "/airboss.pid", encoding: .utf8).split(separator: " ").first ?? ""))
        let clean = try demo("clean")
        #expect(clean.status == 0, "\(clean.stderr)")
        #expect(!FileManager.default.fileExists(atPath: home))
        #expect(!Self.runs(pid), "the Airboss still runs")
        for vm in Self.demoVMs { #expect(RealCluster.state(vm) == "absent", "\(vm)") }
        let volumes = try RealCluster.virsh("vol-list", "--pool", "default")
        for vm in Self.demoVMs { #expect(!volumes.contains("\(vm).vda"), "\(vm)'s disk is left") }
        for link in RealCluster.links {
            #expect(try ProcessRunner.run("/usr/sbin/ip", ["link", "show", link]).status != 0, "\(link) is left")
        }
    }

    /// Whether a process runs: it exists and is not a zombie no one has reaped yet.
    static func runs(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let name = stat.range(of: ") ") else { return false }
        return stat[name.upperBound...].first != "Z"
    }

    /// What a command printed: from the line after `marker` (a printed command) to the next
    /// printed command or comment.
    private func section(_ output: String, after marker: String) -> String? {
        guard let start = output.range(of: marker) else { return nil }
        let rest = output[start.upperBound...]
        let end = rest.range(of: "\n$ ")?.lowerBound ?? rest.range(of: "\n# ")?.lowerBound ?? rest.endIndex
        return String(rest[..<end])
    }

    /// Reads a PNG of 8-bit RGB (colour type 2) with Python's zlib and prints how many colours
    /// it holds: a check of the file that shares nothing with what wrote it but the format.
    static let pngColours = """
        import struct, sys, zlib
        data = open(sys.argv[1], "rb").read()
        assert data[:8] == b"\\x89PNG\\r\\n\\x1a\\n", "not a PNG"
        at, idat = 8, b""
        while at < len(data):
            length, kind = struct.unpack(">I4s", data[at:at + 8])
            body = data[at + 8:at + 8 + length]
            assert zlib.crc32(kind + body) == struct.unpack(">I", data[at + 8 + length:at + 12 + length])[0], "bad CRC"
            if kind == b"IHDR":
                width, height, depth, colour = struct.unpack(">IIBB", body[:10])
                assert depth == 8 and colour == 2, "not 8-bit RGB"
            elif kind == b"IDAT":
                idat += body
            at += 12 + length
        raw = zlib.decompress(idat)
        stride = width * 3 + 1
        assert len(raw) == stride * height, "wrong size"
        colours = set()
        for row in range(height):
            assert raw[row * stride] == 0, "unexpected filter"
            line = raw[row * stride + 1:(row + 1) * stride]
            colours.update(line[i:i + 3] for i in range(0, len(line), 3))
        print(len(colours))
        """
}
