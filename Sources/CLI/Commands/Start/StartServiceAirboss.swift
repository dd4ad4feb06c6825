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

/// `rocks start service airboss [listen=127.0.0.1:8677] [executor=auto|yes|no] [foreground=no|yes]`:
/// the owners' Airboss, over TLS. In the background by default (a session of its own, its
/// log in `$ROCKS_HOME/airboss.log`); `rocks stop service airboss` ends it gracefully.
struct StartServiceAirboss: RocksCommand {
    static let configuration = CommandConfiguration(
        commandName: "airboss", abstract: "Serve owners' signed requests over TLS (the Airboss).",
        discussion: "\(grammar.usage("rocks start service airboss"))   (executor=auto runs the executor here unless another one runs)")
    static let grammar = Grammar(parameters: ["listen=127.0.0.1:8677", "executor=auto|yes|no", "foreground=no|yes"])

    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []

    func execute(_ arguments: RocksArguments, in context: CommandContext) throws {
        let listen = arguments["listen"] ?? "127.0.0.1:8677"
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]), (0...65535).contains(port) else {
            throw CLIError("listen must be <address>:<port>, like 127.0.0.1:8677, not \(MessageText.quote(listen))")
        }
        let host = String(listen[..<colon])
        let mode = try AirbossServer.ExecutorMode(rawValue: arguments.choice("executor", ["auto", "yes", "no"], default: "auto"))!
        let process = AirbossProcess(home: context.home)
        guard try arguments.bool("foreground", default: false) else {
            // The ledger and keys are checked here, so a start that cannot work says why at once.
            _ = try LedgerSession.writing(context)
            guard !process.isRunning else { throw CLIError("the Airboss already runs\(process.listening().map { " as pid \($0.pid) on \($0.address)" } ?? "")") }
            let started = try process.spawn(arguments: ["start", "service", "airboss", "listen=\(listen)", "executor=\(mode.rawValue)", "foreground=yes"])
            context.print("airboss started as pid \(started.pid), listening on \(started.address) (log: \(process.logPath))")
            return
        }
        guard let lock = try process.takeLock() else { throw CLIError("the Airboss already runs\(process.listening().map { " as pid \($0.pid)" } ?? "")") }
        defer { close(lock) }
        let session = try LedgerSession.writing(context)
        let executor = try session.executor()
        guard let frontend = session.frontend else { throw CLIError("the Airboss needs the frontend key") }
        var configuration = AirbossServer.Configuration(host: host, port: port, keysDirectory: context.keysDirectory)
        configuration.executor = mode
        configuration.defaultURI = context.environment[LibvirtURI.environmentVariable]
        let ledger = session.ledger
        let logger = context.logger
        let finished = DispatchSemaphore(value: 0)
        let failure = FailureBox()
        Task {
            do {
                try await AirbossServer.run(ledger: ledger, frontendKey: frontend, executor: executor, configuration: configuration, logger: logger) { bound in
                    do {
                        try process.writePid(address: "\(host):\(bound)")
                        logger.info("airboss.listening", metadata: ["address": "\(host):\(bound)", "pid": "\(getpid())"])
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
