import RocksGrammar
import ArgumentParser
import Ledger
import Projections
import Signing

/// `rocks ledger log`: one line per record, oldest first: who, what, when, and what came of it.
struct LedgerLog: RocksCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "List records: who signed each, what it asked, when, and its outcome.",
        discussion: """
            \(grammar.usage("rocks ledger log"))

            One line per record: sequence, time, key id, whose key (admin, frontend, \
            host:<name>, cluster:<frontend> or unknown) | op and arguments | outcome (denied \
            and why, or appended and each effect's outcome so far).

            from= and to= take a sequence number or an RFC 3339 time (from the first record \
            appended at or after it, to the last at or before it). key= takes a key id, a \
            prefix of at least 8 of its hex digits, or whose it is (admin, cluster:<frontend>…); \
            host= keeps the records naming that host in their arguments, decision or effects; \
            op= one operation; denied=yes the denied requests only, denied=no the others.
            """)
    static let grammar = Grammar(parameters: [
        "from=<seq or time>", "to=<seq or time>", "key=<key id or owner>", "host=<host>", "op=<op>", "denied=yes|no", "output-format=json",
    ])

    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []

    func execute(_ arguments: RocksArguments, in context: CommandContext) throws {
        let json = try arguments.choice("output-format", ["text", "json"], default: "text") == "json"
        let session = try LedgerSession.reading(context)
        let filter = try RecordFilter(arguments, ops: session.projection.ops)
        let ledger = session.ledger
        guard let range = try session.records(from: arguments["from"], to: arguments["to"]) else {
            if json { context.print(JSONOutput.render([])) }
            return
        }
        let trail = try AuditTrail(ledger: ledger, from: range.lowerBound, to: range.upperBound)
        var rows: [JSONValue] = []
        try ledger.forEachRecord(from: range.lowerBound, to: range.upperBound) { record in
            guard try filter.matches(record, trail: trail) else { return true }
            if json { rows.append(try AuditText.json(record, trail: trail)) } else { context.print(try AuditText.line(record, trail: trail)) }
            return true
        }
        if json { context.print(JSONOutput.render(rows)) }
    }
}

/// The filters of `ledger log`: every one given must hold.
private struct RecordFilter {
    let key: String?
    let host: String?
    let op: String?
    let denied: Bool?

    init(_ arguments: RocksArguments, ops: [String]) throws(CLIError) {
        key = arguments["key"].map { $0.lowercased() }
        if let key, !key.contains(":"), !["admin", "frontend", "unknown"].contains(key) {
            guard (8...64).contains(key.count), key.allSatisfy(\.isHexDigit) else {
                throw CLIError("key must be a key id (at least 8 of its hex digits) or whose it is (admin, frontend, host:<name>, cluster:<frontend>, unknown), not \(MessageText.quote(key))")
            }
        }
        host = arguments["host"]
        op = arguments["op"]
        if let op, !ops.contains(op) { throw CLIError("op \(MessageText.quote(op)) is not an operation of this ledger") }
        denied = try arguments["denied"] == nil ? nil : arguments.bool("denied", default: false)
    }

    func matches(_ record: Record, trail: AuditTrail) throws -> Bool {
        if let op, record.op != op { return false }
        if let denied, denied != (record.denial != nil) { return false }
        if let key, !record.keyID.hex.hasPrefix(key), trail.signer(of: record).description != key { return false }
        if let host, !(try trail.record(record, names: host)) { return false }
        return true
    }
}
