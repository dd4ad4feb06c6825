import Logging
import Signing

#if canImport(Glibc)
import Glibc
#endif

/// What a command runs with: its environment, its clock and where its output goes.
///
/// Output is buffered and written only when the command succeeds, so a failing command
/// prints its one error line and nothing on stdout. Warnings go to stderr, with the output.
public final class CommandContext: @unchecked Sendable {
    public let environment: [String: String]
    public let clock: @Sendable () -> Timestamp
    public let logger: Logger
    /// Asks the user for a passphrase on the terminal, or returns nil without one.
    public let passphrasePrompt: @Sendable (String) -> String?
    private(set) var lines: [String] = []
    private(set) var warnings: [String] = []

    public init(environment: [String: String], clock: @escaping @Sendable () -> Timestamp = Timestamp.now,
                logger: Logger = Logger(label: "rocks"), passphrasePrompt: @escaping @Sendable (String) -> String? = CommandContext.terminalPassphrase)
    {
        self.environment = environment
        self.clock = clock
        self.logger = logger
        self.passphrasePrompt = passphrasePrompt
    }

    /// `$ROCKS_HOME`, by default `/var/lib/rocks`.
    public var home: String { environment["ROCKS_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? "/var/lib/rocks" }
    var ledgerDirectory: String { home + "/ledger" }
    var keysDirectory: String { home + "/keys" }
    var adminKeyPath: String { keysDirectory + "/admin.pem" }
    var frontendKeyPath: String { keysDirectory + "/frontend.pem" }

    /// Queues one line of standard output.
    func print(_ line: String) { lines.append(line) }

    /// Queues text that already ends in newlines (PEM, XML).
    func write(_ text: String) {
        var text = text
        if text.hasSuffix("\n") { text.removeLast() }
        lines.append(text)
    }

    /// Queues a `warning - ` line for stderr: something the user must know that does not stop the command.
    func warn(_ line: String) { warnings.append(line) }

    /// Everything queued, as it will be written.
    public var output: String { lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n" }

    /// The warnings queued, as they will be written to stderr.
    var warningOutput: String { warnings.map { "warning - \(RocksCLI.errorLine($0))\n" }.joined() }

    /// Reads a passphrase from the controlling terminal without echo; nil when there is none.
    public static let terminalPassphrase: @Sendable (String) -> String? = { prompt in
        guard isatty(STDIN_FILENO) == 1, let entered = getpass(prompt) else { return nil }
        return String(cString: entered)
    }
}
