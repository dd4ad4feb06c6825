import RocksGrammar
import ArgumentParser
import Ledger
import Projections
import Signing

/// The `rocks` command line.
struct Rocks: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rocks",
        abstract: "Rocks KVM Roll virtual clusters, kept in a signed, hash-chained ledger.",
        discussion: """
            Every change is a request signed with $ROCKS_HOME/keys/admin.pem and appended to the \
            ledger in $ROCKS_HOME/ledger (ROCKS_HOME defaults to /var/lib/rocks). Parameters are \
            key=value, or positional in the order each command documents.
            """,
        subcommands: [Init.self, CreateCommands.self, AddCommands.self, SetCommands.self, ListCommands.self, RemoveCommands.self,
                      ReportCommands.self, SyncCommands.self, StartCommands.self, StopCommands.self, OpenCommands.self, RunCommands.self,
                      Dump.self, LedgerCommands.self])
}

/// Runs `rocks` in-process: what `main` calls, and what tests call.
public enum RocksCLI {
    public struct Result: Sendable {
        public let status: Int32
        public let stdout: String
        public let stderr: String
    }

    public static func run(_ arguments: [String], context: CommandContext) -> Result {
        if let help = helpText(for: arguments) {
            do {
                return Result(status: 0, stdout: try help.get() + "\n", stderr: "")
            } catch {
                return failure(error.message)
            }
        }
        let parsed: ParsedCommandLine
        do {
            guard let read = try ParsedCommandLine.byGrammar(arguments) else { return failure(unknownCommand(arguments)) }
            parsed = read
        } catch {
            return failure(describe(error))
        }
        do {
            try parsed.type.init().execute(parsed.arguments, in: context)
        } catch let failures as VMFailures {
            let lines = failures.lines.map { "error - \(errorLine($0))\n" }.joined()
            return Result(status: 1, stdout: context.output, stderr: context.warningOutput + lines)
        } catch {
            return failure(describe(error))
        }
        return Result(status: 0, stdout: context.output, stderr: context.warningOutput)
    }

    /// Why `arguments` name no command: a word no command has, or a group left without one.
    static func unknownCommand(_ arguments: [String]) -> String {
        let (group, wordCount) = commandPath(arguments)
        let valid = group.configuration.subcommands.compactMap { $0.configuration.commandName }.filter { $0 != "plain" }
        guard wordCount < arguments.count else { return "incomplete command: add one of \(valid.joined(separator: ", ")) (see --help)" }
        return "unknown command \(MessageText.quote(arguments[wordCount])) (valid: \(valid.joined(separator: ", ")))"
    }

    /// The deepest command the leading words name, and how many words name it.
    static func commandPath(_ arguments: [String]) -> (command: ParsableCommand.Type, wordCount: Int) {
        var command: ParsableCommand.Type = Rocks.self
        var count = 0
        for word in arguments {
            guard let next = command.configuration.subcommands.first(where: { $0.configuration.commandName == word }) else { break }
            command = next
            count += 1
        }
        return (command, count)
    }

    /// The help of the deepest command named, when the words ask for help (`--help`, `-h`,
    /// or `help` first). Rocks parameters never start with a dash, so this is unambiguous. A
    /// word that names no command of a group that needs one is an error, not the group's help.
    static func helpText(for arguments: [String]) -> Swift.Result<String, CLIError>? {
        let asked = arguments.contains("--help") || arguments.contains("-h") || arguments.first == "help"
        guard asked || arguments.isEmpty else { return nil }
        var command: ParsableCommand.Type = Rocks.self
        for word in arguments where word != "help" && !word.hasPrefix("-") {
            let configuration = command.configuration
            guard let next = configuration.subcommands.first(where: { $0.configuration.commandName == word }) else {
                // A leaf command's words, or a group's default command's, are its parameters.
                guard !configuration.subcommands.isEmpty, configuration.defaultSubcommand == nil else { break }
                let valid = configuration.subcommands.compactMap { $0.configuration.commandName }.filter { $0 != "plain" }
                return .failure(CLIError("unknown command '\(word)' (valid: \(valid.joined(separator: ", ")))"))
            }
            command = next
        }
        return .success(Rocks.helpMessage(for: command))
    }

    private static func failure(_ message: String) -> Result {
        Result(status: 1, stdout: "", stderr: "error - \(errorLine(message))\n")
    }

    /// The longest error line printed; values inside it are already cut by `MessageText.quote`.
    static let errorLineLimit = 1000

    /// `message` as one line: control characters, newlines among them, escaped (a value
    /// someone typed cannot forge a second line or drive the terminal), and cut at
    /// ``errorLineLimit`` characters.
    static func errorLine(_ message: String) -> String {
        var trimmed = Substring(message)
        while trimmed.last?.isNewline == true { trimmed.removeLast() }
        let line = MessageText.escaped(trimmed.isEmpty ? "failed" : trimmed)
        return line.count > errorLineLimit ? line.prefix(errorLineLimit) + "…" : line
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case let error as CLIError: error.message
        case let error as LedgerError: error.message
        case let error as SigningError: error.message
        case let error as DomainError: error.message
        case let error as LMDBError: "ledger storage: \(error)"
        default: "\(error)"
        }
    }
}
