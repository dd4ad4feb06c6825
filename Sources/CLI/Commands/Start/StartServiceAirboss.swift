import Airboss
import ArgumentParser
import Dispatch
import Executors
import Logging
import RocksGrammar
import Signing

#if canImport(Glibc)
import Glibc
#endif

/// `rocks start service airboss [listen=127.0.0.1:8677] [executor=auto|yes|no] [metrics=<port>]
/// [rate=20] [burst=40] [idle-timeout=30] [max-connections=256] [foreground=no|yes]`: the
/// owners' Airboss, over TLS. In the background by default (a session of its own, its log in
/// `$ROCKS_HOME/airboss.log`); `rocks stop service airboss` ends it gracefully.
struct StartServiceAirboss: RocksCommand {
    static let configuration = CommandConfiguration(
        commandName: "airboss", abstract: "Serve owners' signed requests over TLS (the Airboss).",
        discussion: """
            \(grammar.usage("rocks start service airboss"))
            executor=auto runs the executor here unless another one runs. metrics= serves Prometheus metrics on that
            127.0.0.1 port (0: any free port). rate= and burst= are each key's token bucket (requests per second, and at
            once; rate=0 turns it off). idle-timeout= (seconds) closes a connection that sends nothing.
            """)
    static let grammar = Grammar(parameters: [
        "listen=127.0.0.1:8677", "executor=auto|yes|no", "metrics=<port>", "rate=20", "burst=40", "idle-timeout=30", "max-connections=256",
        "foreground=no|yes",
    ])

    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []

    func execute(_ arguments: RocksArguments, in context: CommandContext) throws {
        let listen = arguments["listen"] ?? "127.0.0.1:8677"
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]), (0...65535).contains(port) else {
            throw CLIError("listen must be <address>:<port>, like 127.0.0.1:8677, not \(MessageText.quote(listen))")
        }
        let host = String(listen[..<colon])
        let mode = try AirbossServer.ExecutorMode(rawValue: arguments.choice("executor", ["auto", "yes", "no"], default: "auto"))!
        var configuration = AirbossServer.Configuration(host: host, port: port, keysDirectory: context.keysDirectory)
        configuration.executor = mode
        configuration.defaultURI = context.environment[LibvirtURI.environmentVariable]
        let defaults = KeyRateLimiter.Limit.default
        configuration.rateLimit = KeyRateLimiter.Limit(
            rate: Double(try arguments.integer("rate", in: 0...1_000_000, default: Int(defaults.rate), unit: "requests per second")),
            burst: try arguments.integer("burst", in: 1...1_000_000, default: defaults.burst, unit: "requests"))
        let idle = try arguments.integer("idle-timeout", in: 1...3600, default: 30, unit: "seconds")
        configuration.idleTimeout = .seconds(Int64(idle))
        configuration.maximumConnections = try arguments.integer("max-connections", in: 1...65536, default: 256)
        if arguments["metrics"] != nil {
            configuration.metricsPort = try arguments.integer("metrics", in: 0...65535, default: 0, unit: "a port")
        }
        let process = AirbossProcess(home: context.home)
        guard try arguments.bool("foreground", default: false) else {
            // The ledger and keys are checked here, so a start that cannot work says why at once.
            _ = try LedgerSession.writing(context)
            guard !process.isRunning else { throw CLIError("the Airboss already runs\(process.listening().map { " as pid \($0.pid) on \($0.address)" } ?? "")") }
            let settings = [
                "listen=\(listen)", "executor=\(mode.rawValue)", "rate=\(Int(configuration.rateLimit.rate))", "burst=\(configuration.rateLimit.burst)",
                "idle-timeout=\(idle)", "max-connections=\(configuration.maximumConnections)",
            ] + (configuration.metricsPort.map { ["metrics=\($0)"] } ?? [])
            let started = try process.spawn(arguments: ["start", "service", "airboss"] + settings + ["foreground=yes"])
            let metrics = started.metrics.map { ", metrics on http://\($0)/metrics" } ?? ""
            context.print("airboss started as pid \(started.pid), listening on \(started.address)\(metrics) (log: \(process.logPath))")
            return
        }
        guard let lock = try process.takeLock() else { throw CLIError("the Airboss already runs\(process.listening().map { " as pid \($0.pid)" } ?? "")") }
        defer { close(lock) }
        let session = try LedgerSession.writing(context)
        let executor = try session.executor()
        guard let frontend = session.frontend else { throw CLIError("the Airboss needs the frontend key") }
        let ledger = session.ledger
        let logger = context.logger
        let finished = DispatchSemaphore(value: 0)
        let failure = FailureBox()
        Task {
            do {
                try await AirbossServer.run(ledger: ledger, frontendKey: frontend, executor: executor, configuration: configuration, logger: logger) { bound, metricsPort in
                    do {
                        let metrics = metricsPort.map { "127.0.0.1:\($0)" }
                        try process.writePid(address: "\(host):\(bound)", metrics: metrics)
                        logger.info("airboss.listening", metadata: ["address": "\(host):\(bound)", "metrics": "\(metrics ?? "-")", "pid": "\(getpid())"])
                    } catch {
                        logger.error("airboss.pid-file", metadata: ["reason": "\(error)"])
                    }
                }
            } catch {
                failure.error = error
            }
            finished.signal()
        }
        finished.wait()
        process.removePid()
        if let error = failure.error { throw CLIError("the Airboss stopped: \(error)") }
    }
}

private final class FailureBox: @unchecked Sendable {
    var error: (any Error)?
}
