import Foundation
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// A TCP relay the test owns (socat), in front of libvirtd's loopback TCP port, so a test can
/// make a container unreachable: `stop()` freezes it (connections are accepted by the kernel
/// and never answered), `kill()` closes it (connections are refused).
final class TCPRelay: @unchecked Sendable {
    let port: Int
    private let process = Process()

    init(to target: String = "127.0.0.1:16509", port: Int = Int.random(in: 20000...40000)) throws {
        self.port = port
        process.executableURL = URL(fileURLWithPath: "/usr/bin/socat")
        process.arguments = ["TCP-LISTEN:\(port),bind=127.0.0.1,reuseaddr,fork", "TCP:\(target)"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        for _ in 0..<100 {
            let listening = try ProcessRunner.run("/usr/bin/ss", ["-ltnH"]).stdout.contains("127.0.0.1:\(port) ")
            if listening { return }
            usleep(50_000)
        }
        throw TestFailure("socat did not listen on 127.0.0.1:\(port)")
    }

    deinit { kill() }

    /// Freezes the relay and every connection it forwards.
    func stop() { signal(SIGSTOP) }

    /// Ends the relay and every connection it forwards.
    func kill() {
        signal(SIGKILL)
        if process.isRunning { process.waitUntilExit() }
    }

    private func signal(_ number: Int32) {
        // socat forks a child per connection: they go the same way as the listener.
        _ = try? ProcessRunner.run("/usr/bin/pkill", ["-\(number)", "-P", String(process.processIdentifier)])
        Glibc.kill(process.processIdentifier, number)
    }
}
