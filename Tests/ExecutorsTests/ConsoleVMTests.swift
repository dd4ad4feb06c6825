import AirbossClient
import Foundation
import Signing
import Testing
import TestSupport

/// Owners watch their real VMs' consoles through the Airboss: `pilot open host console` on a
/// loopback port, a WebSocket relay over TLS, each VM's VNC server on a UNIX socket only. In
/// the one serialized suite of real-VM tests.
extension LibvirtVMTests {
    /// `pilot open host console`, running until stopped, and the port it printed.
    final class OpenConsole: @unchecked Sendable {
        let process = Process()
        /// A port per host, in the order given.
        let ports: [Int]
        var port: Int { ports[0] }
        /// Everything pilot printed.
        let output: String

        init(_ airboss: AirbossHarness, _ arguments: String...) throws {
            var environment = ProcessInfo.processInfo.environment
            environment["ROCKS_USER_DIR"] = airboss.user.path
            output = airboss.user.file("console-\(UInt64.random(in: 0...UInt64.max)).out")
            try #require(FileManager.default.createFile(atPath: output, contents: nil))
            process.executableURL = URL(fileURLWithPath: ProcessRunner.product("pilot"))
            process.arguments = ["open", "host", "console"] + arguments + ["airboss=\(airboss.address)", "viewer=no"]
            process.environment = environment
            process.standardOutput = FileHandle(forWritingAtPath: output)
            process.standardError = FileHandle(forWritingAtPath: output)
            try process.run()
            // A line per host: "<host>: console on 127.0.0.1:<port> (…"
            let hosts = arguments.first { $0.hasPrefix("host=") }.map { $0.split(separator: ",").count } ?? 1
            var ports: [Int] = []
            for _ in 0..<200 where ports.count < hosts && process.isRunning {
                Thread.sleep(forTimeInterval: 0.05)
                let lines = ((try? String(contentsOfFile: output, encoding: .utf8)) ?? "").split(separator: "\n")
                ports = lines.compactMap { line in line.split(separator: " ").first(where: { $0.hasPrefix("127.0.0.1:") }).flatMap { Int($0.dropFirst(10)) } }
            }
            guard ports.count == hosts else {
                kill(process.processIdentifier, SIGKILL)
                throw TestFailure("pilot open host console printed \((try? String(contentsOfFile: output, encoding: .utf8)) ?? "nothing")")
            }
            self.ports = ports
        }

        var printed: String { (try? String(contentsOfFile: output, encoding: .utf8)) ?? "" }

        /// SIGKILL: a process started from the test runner inherits its blocked signals.
        deinit {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    /// `scripts/rfb-client.py` against `port`: its lines, and its exit status.
    static func rfb(_ port: Int, _ extra: [String] = []) throws -> ProcessRunner.Output {
        try ProcessRunner.run("python3", [Fixtures.script("rfb-client.py"), "127.0.0.1", String(port)] + extra)
    }

    static func expectHandshake(_ output: ProcessRunner.Output, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(output.status == 0, "\(output.stdout) \(output.stderr)", sourceLocation: sourceLocation)
        for step in ["banner RFB 003.008\n", "security-types 1\n", "security-result 0\n", "server-init "] {
            #expect(output.stdout.contains(step), "\(step) in \(output.stdout)", sourceLocation: sourceLocation)
        }
        #expect(output.stdout.contains("framebuffer-update "), "\(output.stdout)", sourceLocation: sourceLocation)
    }

    /// The grants and session notes in the ledger.
    static func consoleRecords(_ home: RocksHome) throws -> (grants: Int, denied: Int, starts: Int, ends: [String]) {
        var grants = 0, denied = 0, starts = 0
        var ends: [String] = []
        try home.ledger().forEachRecord { record in
            switch record.op {
            case "open host console": if record.denial == nil { grants += 1 } else { denied += 1 }
            case "record console session":
                let decision = try record.parsedDecision()
                if decision["event"]?.stringValue == "start" { starts += 1 } else { ends.append(decision["reason"]?.stringValue ?? "?") }
            default: break
            }
            return true
        }
        return (grants, denied, starts, ends)
    }

    @Test func anOwnerWatchesTheirComputesConsoleThroughTheAirboss() throws {
        let cluster = try RealCluster()
        // A second cluster, whose owner must not reach the first one's VMs.
        let added = try cluster.run("add", "cluster", "ip=137.110.119.119", "num-computes=1", "fe-container=vm-container-0-0",
                                    "container-hosts=vm-container-0-1", "mem-per-compute=\(RealCluster.memory)")
        let otherFrontend = try #require(added.split(separator: "\n").first?.split(separator: " ").last.map(String.init), "\(added)")
        let airboss = try AirbossHarness(home: cluster.home, executor: "auto")
        defer { airboss.stop() }
        let owner = try airboss.ownerKey("owner"), stranger = try airboss.ownerKey("stranger")
        try cluster.run("add", "host", "key", "frontend-0-0-0", "key=\(try cluster.home.write(owner.pem, "owner.pub"))")
        try cluster.run("add", "host", "key", otherFrontend, "key=\(try cluster.home.write(stranger.pem, "stranger.pub"))")
        let compute = try #require(try cluster.home.read { reader, txn in try reader.cluster("frontend-0-0-0", in: txn)?.computes.first })
        let on = try airboss.pilot("set", "host", "power", "host=\(compute)", "key=\(owner.path)", "action=on")
        #expect(on.status == 0 && RealCluster.state(compute) == "running", "\(on.stderr)")

        // Its VNC server is a UNIX socket in a directory only root and QEMU may enter, and no
        // TCP port of this machine belongs to QEMU.
        let socket = try #require(try cluster.home.read { reader, txn in try reader.power(of: compute, in: txn)?.console })
        #expect(socket.hasPrefix("/var/lib/libvirt/qemu/") && socket.hasSuffix(".sock"), "\(socket)")
        let pid = try #require(RealCluster.qemuPID(compute))
        let listening = try ProcessRunner.run("ss", ["-ltnpH"]).stdout
        #expect(!listening.contains("pid=\(pid),"), "\(listening)")

        // Through pilot: the RFB handshake to the first framebuffer update, while the Airboss
        // keeps serving other requests.
        let console = try OpenConsole(airboss, "host=\(compute)", "key=\(owner.path)")
        let held = Process()
        held.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        held.arguments = [Fixtures.script("rfb-client.py"), "127.0.0.1", String(console.port), "--hold", "3"]
        held.standardOutput = FileHandle.nullDevice
        try held.run()
        defer { kill(held.processIdentifier, SIGKILL) }
        let listed = try airboss.pilot("list", "host", "macs", "host=frontend-0-0-0", "key=\(owner.path)", "status=no")
        #expect(listed.status == 0, "\(listed.stderr)")
        held.waitUntilExit()
        #expect(held.terminationStatus == 0)
        Self.expectHandshake(try Self.rfb(console.port))

        // Powered off and on: the viewer's next connection reaches the new VNC server, under
        // the same grant.
        #expect(try airboss.pilot("set", "host", "power", "host=\(compute)", "key=\(owner.path)", "action=off").status == 0)
        #expect(try airboss.pilot("set", "host", "power", "host=\(compute)", "key=\(owner.path)", "action=on").status == 0)
        let newSocket = try #require(try cluster.home.read { reader, txn in try reader.power(of: compute, in: txn)?.console })
        #expect(newSocket != socket)
        Self.expectHandshake(try Self.rfb(console.port))
        Thread.sleep(forTimeInterval: 1)
        let records = try Self.consoleRecords(cluster.home)
        #expect(records.grants == 1, "one grant for every connection within its five minutes")
        #expect(records.starts == 3 && records.ends.count == 3, "\(records)")
        #expect(records.ends.allSatisfy { $0 == "the viewer closed" }, "\(records.ends)")
        let log = cluster.home.run("ledger", "log").stdout
        #expect(log.contains("record console session") && log.contains("open host console"))

        // Another cluster's owner is denied, on the record; nothing opens.
        let refused = try airboss.pilot("open", "host", "console", "host=\(compute)", "key=\(stranger.path)", "viewer=no")
        #expect(refused.status == 1 && refused.stderr.contains("denied"), "\(refused.stderr)")
        #expect(try Self.consoleRecords(cluster.home).denied == 1)

        // An expired grant opens nothing, and a wrong token neither.
        let known = KnownFrontends(path: airboss.user.file("known_frontends"))
        let client = try AirbossClient(address: airboss.address, known: known, serverKey: nil, receipts: airboss.user.file("receipts"), notice: { _ in })
        let key = try PrivateKey(pem: String(contentsOfFile: owner.path, encoding: .utf8))
        let short = try AirbossClient.blocking { try await client.consoleTicket(host: compute, key: key, seconds: 1) }
        let fresh = try AirbossClient.blocking { try await client.consoleTicket(host: compute, key: key) }
        Thread.sleep(forTimeInterval: 1.5)
        // A refused upgrade is the WebSocket layer's bare 400; the same GET without the upgrade
        // says why.
        func get(_ grant: UInt64, _ authorization: String, upgrade: Bool) throws -> String {
            let headers = upgrade ? ["-H", "Connection: Upgrade", "-H", "Upgrade: websocket", "-H", "Sec-WebSocket-Version: 13",
                                     "-H", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=="] : []
            return try ProcessRunner.run("curl", ["-sk", "-w", " %{http_code}", "--max-time", "3", "-H", "Authorization: \(authorization)"] + headers
                                         + ["https://\(airboss.address)/v1/console/\(grant)"]).stdout
        }
        #expect(try get(short.grant, short.authorization, upgrade: true) == " 400")
        #expect(try get(short.grant, short.authorization, upgrade: false).hasSuffix("expired at \(short.expires.rfc3339Seconds): ask for another\"} 410"))
        #expect(try get(fresh.grant, short.authorization, upgrade: true) == " 400")
        #expect(try get(fresh.grant, short.authorization, upgrade: false) == "{\"error\":\"the token is not this grant's\"} 401")
        #expect(try get(fresh.grant, fresh.authorization, upgrade: true).hasSuffix(" 101"))

        // Ten idle consoles cost the Airboss under 2 % of a core.
        let idle = try (0..<10).map { index in
            let viewer = Process(), log = airboss.user.file("idle-\(index).out")
            try #require(FileManager.default.createFile(atPath: log, contents: nil))
            viewer.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
            viewer.arguments = [Fixtures.script("rfb-client.py"), "127.0.0.1", String(console.port), "--hold", "60"]
            viewer.standardOutput = FileHandle(forWritingAtPath: log)
            viewer.standardError = FileHandle(forWritingAtPath: log)
            try viewer.run()
            return (viewer, log)
        }
        defer { for (viewer, _) in idle { kill(viewer.processIdentifier, SIGKILL) } }
        func handshaken() -> Int {
            idle.filter { ((try? String(contentsOfFile: $0.1, encoding: .utf8)) ?? "").contains("framebuffer-update") }.count
        }
        for _ in 0..<300 where handshaken() < idle.count { Thread.sleep(forTimeInterval: 0.1) }
        #expect(handshaken() == idle.count, "\(console.printed) \(((try? String(contentsOfFile: cluster.home.path + "/airboss.log", encoding: .utf8)) ?? "").split(separator: "\n").filter { $0.contains("console") })")
        Thread.sleep(forTimeInterval: 2)
        let airbossPID = try #require(airboss.pidFile?.pid)
        let before = try Self.cpuTicks(airbossPID)
        Thread.sleep(forTimeInterval: 10)
        let used = Double(try Self.cpuTicks(airbossPID) - before) / Double(sysconf(Int32(_SC_CLK_TCK))) / 10
        #expect(used < 0.02, "the Airboss used \(used * 100) % of a core with ten idle consoles")
        #expect(idle.allSatisfy { $0.0.isRunning }, "an idle console's viewer ended early")

        // Several hosts, a port each, both consoles at once.
        let second = try #require(try cluster.home.read { reader, txn in try reader.cluster("frontend-0-0-0", in: txn)?.computes.last })
        #expect(second != compute)
        #expect(try airboss.pilot("set", "host", "power", "host=\(second)", "key=\(owner.path)", "action=on").status == 0)
        let both = try OpenConsole(airboss, "host=\(compute),\(second)", "key=\(owner.path)")
        #expect(both.ports.count == 2 && Set(both.ports).count == 2 && both.ports.allSatisfy { (5901...5999).contains($0) }, "\(both.ports)")
        for port in both.ports { Self.expectHandshake(try Self.rfb(port)) }
        #expect(try Self.rfb(both.ports[1]).stdout.contains("QEMU (\(second))"))
        #expect(cluster.home.run("ledger", "verify").status == 0)
    }

    /// User and system CPU ticks of a process so far.
    static func cpuTicks(_ pid: pid_t) throws -> Int {
        let stat = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        let fields = stat[stat.range(of: ")")!.upperBound...].split(separator: " ")
        return Int(fields[11])! + Int(fields[12])!
    }
}
