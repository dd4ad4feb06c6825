import CLI
import Foundation
import Logging

// Logs go to stderr, quiet unless ROCKS_LOG_LEVEL asks: a failing command prints one line.
let level = ProcessInfo.processInfo.environment["ROCKS_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .critical
LoggingSystem.bootstrap { label in
    var handler = StreamLogHandler.standardError(label: label)
    handler.logLevel = level
    return handler
}

let context = CommandContext(environment: ProcessInfo.processInfo.environment, logger: Logger(label: "rocks"))
let result = RocksCLI.run(Array(CommandLine.arguments.dropFirst()), context: context)
FileHandle.standardOutput.write(Data(result.stdout.utf8))
FileHandle.standardError.write(Data(result.stderr.utf8))
exit(result.status)
