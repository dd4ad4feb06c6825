import AirbossClient
import Foundation
import ProcessSupport
import RocksGrammar
import Signing

// An owner's client for a laptop: the seed's pilot, over the Airboss's pinned TLS, with
// receipts. Rocks' grammar; errors are Rocks' one `error - …` line.
BrokenPipes.ignore()

/// One pilot command: its words, its grammar, and what it prints.
struct PilotCommand {
    let words: [String]
    let grammar: Grammar
    let run: @MainActor (RocksArguments, [String: String]) throws -> [String]
}

let connection = OwnerCommands.connectionParameters
let environment = ProcessInfo.processInfo.environment
/// A passphrase from the terminal, without echo; nil when there is none (a script gives passphrase-file=).
let passphrase: (String) -> String? = { prompt in isatty(STDIN_FILENO) == 1 ? getpass(prompt).map { String(cString: $0) } : nil }
let notice: @Sendable (String) -> Void = { line in BrokenPipes.writeAll(line + "\n", to: STDERR_FILENO) }

@MainActor func owner(_ arguments: RocksArguments) throws -> (AirbossClient, PrivateKey) {
    (try OwnerCommands.client(arguments, environment: environment, notice: notice), try OwnerCommands.key(arguments, passphrase: passphrase))
}

func target(_ arguments: RocksArguments) throws -> String {
    try arguments.required("host", "must supply host=<mac|name>")
}

let commands = [
    PilotCommand(words: ["create", "keys"], grammar: Grammar(positional: ["key"], parameters: ["key=<file>", "type=ed25519|rsa", "bits=3072", "passphrase=yes|no", "passphrase-file=<file>"])) { arguments, _ in
        [try KeyFiles.createKeys(arguments, prompt: passphrase)]
    },
    PilotCommand(words: ["set", "host", "power"], grammar: Grammar(mandatory: ["host", "action", "key"], parameters: ["host=<mac|name>", "action=on|off|install"] + connection + ["async=no|yes"])) { arguments, _ in
        let (client, key) = try owner(arguments)
        return try OwnerCommands.setPower([try target(arguments)], arguments, cluster: false, client: client, key: key)
    },
    PilotCommand(words: ["set", "cluster", "power"], grammar: Grammar(mandatory: ["host", "action", "key"], parameters: ["host=<frontend>", "action=on|off|install"] + connection + ["delay=<seconds>", "async=no|yes"])) { arguments, _ in
        let (client, key) = try owner(arguments)
        return try OwnerCommands.setPower([try target(arguments)], arguments, cluster: true, client: client, key: key)
    },
    PilotCommand(words: ["list", "host", "macs"], grammar: Grammar(mandatory: ["host", "key"], parameters: ["host=<mac|name>"] + connection + ["status=yes|no"])) { arguments, _ in
        let (client, key) = try owner(arguments)
        return try OwnerCommands.listMACs(try target(arguments), arguments, raw: true, client: client, key: key)
    },
    PilotCommand(words: ["open", "host", "console"], grammar: Grammar(mandatory: ["host", "key"], parameters: ["host=<mac|name>[,<mac|name>…]"] + connection + ["viewer=yes|no"])) { arguments, _ in
        let (client, key) = try owner(arguments)
        let viewer = try arguments.bool("viewer", default: true)
        let hosts = try target(arguments).split(separator: ",").map(String.init)
        try ConsoleListener.serve(hosts: hosts, client: client, key: key, say: { BrokenPipes.writeAll($0 + "\n", to: STDOUT_FILENO) }) { _, port in
            if viewer { ConsoleListener.startViewer(port: port) }
        }
    },
    PilotCommand(words: ["verify"], grammar: Grammar(mandatory: ["receipt"], parameters: ["receipt=<file>", "server-key=<PEM file>"])) { arguments, environment in
        try OwnerCommands.verifyReceipt(try arguments.required("receipt", "must supply receipt=<file>"), serverKey: arguments["server-key"], environment: environment)
    },
]

@MainActor func usage() -> String {
    "usage:\n" + commands.map { "  " + $0.grammar.usage("pilot " + $0.words.joined(separator: " ")) }.joined(separator: "\n") + "\n"
}

let words = Array(CommandLine.arguments.dropFirst())
if words.isEmpty || words.first == "help" || words.contains("--help") || words.contains("-h") {
    BrokenPipes.writeAll(usage(), to: STDOUT_FILENO)
    exit(0)
}
guard let command = commands.first(where: { words.starts(with: $0.words) }) else {
    BrokenPipes.writeAll("error - unknown command \(MessageText.quote(words.joined(separator: " "))) (see pilot help)\n", to: STDERR_FILENO)
    exit(1)
}
do {
    let arguments = try RocksArguments(Array(words.dropFirst(command.words.count)), grammar: command.grammar)
    let lines = try command.run(arguments, environment)
    BrokenPipes.writeAll(lines.map { $0.hasSuffix("\n") ? $0 : $0 + "\n" }.joined(), to: STDOUT_FILENO)
} catch {
    let message = "\(error)".split(separator: "\n").joined(separator: " ")
    BrokenPipes.writeAll("error - \(message)\n", to: STDERR_FILENO)
    exit(1)
}
