import ArgumentParser
import RocksGrammar

#if canImport(Glibc)
import Glibc
#endif

/// `rocks stop service airboss`: SIGTERM, then waits while the Airboss finishes the requests
/// in flight; nothing acknowledged is lost.
struct StopServiceAirboss: RocksCommand {
    static let configuration = CommandConfiguration(commandName: "airboss", abstract: "Stop the Airboss gracefully.",
                                                    discussion: "\(grammar.usage("rocks stop service airboss"))")
    static let grammar = Grammar()
    /// Long enough for a power request waiting on its outcome.
    static let patience = 180

    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []

    func execute(_ arguments: RocksArguments, in context: CommandContext) throws {
        let process = AirbossProcess(home: context.home)
        guard process.isRunning, let running = process.listening() else { throw CLIError("the Airboss is not running") }
        guard kill(running.pid, SIGTERM) == 0 else { throw CLIError("cannot signal pid \(running.pid): \(String(cString: strerror(errno)))") }
        for _ in 0..<(Self.patience * 10) {
            if !process.isRunning {
                context.print("airboss stopped (pid \(running.pid))")
                return
            }
            usleep(100_000)
        }
        throw CLIError("the Airboss (pid \(running.pid)) has not stopped after \(Self.patience) seconds")
    }
}
