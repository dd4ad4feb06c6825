import CLI
import Foundation
import Logging
import ProcessSupport

// Before libvirt starts a thread or an ssh: a dead ssh must fail a write, not end rocks.
BrokenPipes.ignore()

// Logs go to stderr, quiet unless ROCKS_LOG_LEVEL asks: a failing command prints one line.
let level = ProcessInfo.processInfo.environment["ROCKS_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .critical
LoggingSystem.bootstrap { label in
    var handler = StreamLogHandler.standardError(label: label)
    handler.logLevel = level
    return handler
}

let context = CommandContext(environment: ProcessInfo.processInfo.environment, logger: Logger(label: "rocks"))
let result = RocksCLI.run(Array(CommandLine.arguments.dropFirst()), context: context)
if let failure = BrokenPipes.writeAll(result.stdout, to: STDOUT_FILENO) {
    BrokenPipes.writeAll("error - cannot write the output: \(failure)\n", to: STDERR_FILENO)
    exit(1)
}
BrokenPipes.writeAll(result.stderr, to: STDERR_FILENO)
exit(result.status)
