import RocksGrammar
import ArgumentParser
import Ledger
import Signing

/// `rocks ledger log`: one line per record, oldest first.
struct LedgerLog: RocksCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "List records: sequence, time, key id, op, short digest.",
        discussion: "\(grammar.usage("rocks ledger log"))   (denied requests end in 'denied')")
    static let grammar = Grammar(parameters: ["from=<seq>", "to=<seq>", "output-format=json"])

    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []

    func execute(_ arguments: RocksArguments, in context: CommandContext) throws {
        let from = try sequence(arguments, "from", default: 1)
        let to = try sequence(arguments, "to", default: .max)
        let json = try arguments.choice("output-format", ["text", "json"], default: "text") == "json"
        var rows: [JSONValue] = []
        try LedgerSession.reading(context).ledger.forEachRecord(from: from, to: to) { record in
            if json {
                var row: JSONObject = [
                    "seq": .integer(Int64(record.sequence)), "time": .string(record.appended.rfc3339Nanoseconds),
                    "key": .string(record.keyID.hex), "op": .string(record.op), "digest": .string(Hex.encode(record.digest)),
                    "decision": try record.parsedDecision(),
                ]
                if let denial = record.denial { row["denied"] = .string(denial) }
                rows.append(.object(row))
            } else {
                let time = Timestamp(secondsSinceEpoch: record.appended.seconds).rfc3339Seconds
                let line = "\(record.sequence) \(time) \(record.keyID.short) \(record.op) \(Hex.encode(record.digest.prefix(6)))"
                context.print(record.denial == nil ? line : line + " denied")
            }
            return true
        }
        if json { context.print(JSONOutput.render(rows)) }
    }

    private func sequence(_ arguments: RocksArguments, _ name: String, default value: UInt64) throws(CLIError) -> UInt64 {
        guard let text = arguments[name] else { return value }
        guard let number = UInt64(text), number > 0 else { throw CLIError("\(name) must be a positive sequence number, not '\(text)'") }
        return number
    }
}
