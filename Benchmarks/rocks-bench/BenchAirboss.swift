import Foundation

/// The built `rocks`'s Airboss, as the benchmarks start it.
enum BenchAirboss {
    /// `rocks start service airboss` over `home`, without the executor or a rate limit (the
    /// benchmarks are a few keys sending as fast as they can): its address and pid.
    static func start(home: String, environment: [String: String]) throws -> (address: String, pid: pid_t) {
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("rocks").path
        let start = Process()
        start.executableURL = URL(fileURLWithPath: executable)
        start.arguments = ["start", "service", "airboss", "listen=127.0.0.1:0", "executor=no", "rate=0"]
        start.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        start.standardOutput = FileHandle.nullDevice
        try start.run()
        start.waitUntilExit()
        let fields = String(decoding: try Data(contentsOf: URL(fileURLWithPath: home + "/airboss.pid")), as: UTF8.self).split(whereSeparator: \.isWhitespace)
        return (String(fields[1]), pid_t(fields[0])!)
    }
}

/// Latencies gathered from the client threads.
final class Latencies: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [UInt64] = []

    func add(_ nanoseconds: UInt64) { lock.withLock { values.append(nanoseconds) } }

    /// p50 and p99, in seconds.
    func percentiles() -> (Double, Double) {
        let sorted = lock.withLock { values.sorted() }
        guard !sorted.isEmpty else { return (0, 0) }
        return (Double(sorted[sorted.count / 2]) / 1e9, Double(sorted[min(sorted.count - 1, sorted.count * 99 / 100)]) / 1e9)
    }
}
