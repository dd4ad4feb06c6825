import CLI
import Foundation
import Signing
import Testing

/// A real Airboss process (`rocks start service airboss`) on a free loopback port, over a
/// home of its own, stopped (gracefully) when dropped; and owners' clients run as the built
/// `rocks` and `pilot` executables, each with a user directory of its own.
public final class AirbossHarness: @unchecked Sendable {
    public let home: RocksHome
    public let port: Int
    public let user = TemporaryDirectory("owner")

    /// `settings` are more of `rocks start service airboss`'s parameters (`rate=`, `metrics=`…).
    public init(home: RocksHome, executor: String = "auto", port: Int = 0, settings: [String] = []) throws {
        self.home = home
        let started = try Self.rocks(home, ["start", "service", "airboss", "listen=127.0.0.1:\(port)", "executor=\(executor)"] + settings)
        guard started.status == 0, let address = started.stdout.split(separator: " ").first(where: { $0.hasPrefix("127.0.0.1:") }),
              let bound = Int(address.split(separator: ":")[1].filter(\.isNumber))
        else { throw TestFailure("the Airboss did not start: \(started.stderr)") }
        self.port = bound
        self.pid = Self.pidFile(of: home)?.pid
    }

    /// The process this harness started.
    private var pid: pid_t?

    deinit { stop() }

    public var address: String { "127.0.0.1:\(port)" }

    /// The running Airboss's pid and metrics address, from its pid file.
    public var pidFile: (pid: pid_t, metrics: String?)? { Self.pidFile(of: home) }

    private static func pidFile(of home: RocksHome) -> (pid: pid_t, metrics: String?)? {
        guard let text = try? String(contentsOfFile: home.path + "/airboss.pid", encoding: .utf8) else { return nil }
        let fields = text.split(whereSeparator: \.isWhitespace)
        guard fields.count >= 2, let pid = pid_t(fields[0]) else { return nil }
        return (pid, fields.count > 2 ? String(fields[2]) : nil)
    }

    /// The Prometheus text the Airboss serves on its `metrics=` port.
    public func metrics() throws -> String {
        guard let address = pidFile?.metrics else { throw TestFailure("the Airboss serves no metrics") }
        let fetched = try ProcessRunner.run("curl", ["-sS", "--max-time", "5", "http://\(address)/metrics"])
        guard fetched.status == 0 else { throw TestFailure("curl: \(fetched.stderr)") }
        return fetched.stdout
    }

    /// The value of one sample line (`name{labels}`) in the metrics, 0 when absent.
    public func metric(_ sample: String) throws -> Double {
        for line in try metrics().split(separator: "\n") where line.hasPrefix(sample + " ") {
            return Double(line.dropFirst(sample.count + 1)) ?? .nan
        }
        return 0
    }

    /// Stops the Airboss this harness started, if it still runs (not one started since).
    public func stop() {
        guard let pid, pidFile?.pid == pid else { return }
        _ = try? Self.rocks(home, ["stop", "service", "airboss"])
    }

    /// The built `rocks`, as a separate process, against `home`.
    public static func rocks(_ home: RocksHome, _ arguments: [String], user: String? = nil) throws -> ProcessRunner.Output {
        var environment = ProcessInfo.processInfo.environment.merging(home.environment) { $1 }
        if let user { environment["ROCKS_USER_DIR"] = user }
        return try ProcessRunner.run(ProcessRunner.product("rocks"), arguments, environment: environment)
    }

    /// `pilot <arguments> airboss=<this Airboss>`, as the owner whose directory is `user`.
    public func pilot(_ arguments: String..., user: String? = nil, through address: String? = nil) throws -> ProcessRunner.Output {
        var environment = ProcessInfo.processInfo.environment
        environment["ROCKS_USER_DIR"] = user ?? self.user.path
        let extra = arguments.first == "verify" || arguments.first == "create" ? [] : ["airboss=\(address ?? self.address)"]
        return try ProcessRunner.run(ProcessRunner.product("pilot"), arguments + extra, environment: environment)
    }

    /// A new owner key pair in the user directory: the private key's path and the public PEM.
    public func ownerKey(_ name: String) throws -> (path: String, pem: String) {
        let path = user.file(name + ".pem")
        let made = try pilot("create", "keys", "key=\(path)", "passphrase=no")
        guard made.status == 0 else { throw TestFailure("pilot create keys: \(made.stderr)") }
        return (path, made.stdout)
    }

    /// The ledger's last sequence number.
    public var headSequence: UInt64 {
        get throws { try home.ledger().head().sequence }
    }
}
