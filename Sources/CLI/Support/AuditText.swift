import Ledger
import Projections
import Signing

/// How `ledger log` and `ledger show` describe a record to a person: who signed it, what it
/// asked, and what became of it.
enum AuditText {
    /// The request's arguments as `name=value` words, sorted by name: a value with spaces is
    /// quoted, a multi-line one (a key's PEM) is named by its first line, and a long one is
    /// cut, so each record stays one line. `ledger show` prints them whole.
    static func arguments(_ args: [String: String]) -> String {
        args.sorted { $0.key < $1.key }.compactMap { name, value -> String? in
            guard !value.isEmpty else { return nil }
            var shown = value
            if let firstLine = value.split(separator: "\n").first, firstLine.count < value.count { shown = firstLine + "…" }
            if shown.count > 64 { shown = shown.prefix(63) + "…" }
            return name + "=" + (shown.contains(" ") ? "'\(shown)'" : shown)
        }.joined(separator: " ")
    }

    /// `denied: <why>`, or `appended`.
    static func verdict(_ record: Record) -> String { record.denial.map { "denied: " + $0 } ?? "appended" }

    /// The verdict, followed by each effect the record asked for and its outcome so far
    /// (`start vm hosted-vm-0-0-1 succeeded`).
    static func outcome(of record: Record, effects: [Effect]) -> String {
        ([verdict(record)] + effects.map(effect)).joined(separator: "; ")
    }

    static func effect(_ effect: Effect) -> String {
        "\(effect.kind.rawValue) \(effect.vm) \(effect.status.rawValue)" + (effect.message.map { " (\($0))" } ?? "")
    }

    /// One record as `ledger log` prints it: `seq time key who | op arguments | outcome`.
    static func line(_ record: Record, trail: AuditTrail) throws -> String {
        let time = Timestamp(secondsSinceEpoch: record.appended.seconds).rfc3339Seconds
        let arguments = arguments(try record.request.envelope.args)
        return "\(record.sequence) \(time) \(record.keyID.short) \(trail.signer(of: record)) | \(record.op)"
            + (arguments.isEmpty ? "" : " " + arguments) + " | " + outcome(of: record, effects: trail.effects(of: record))
    }

    /// One record as `output-format=json` gives it: every field whole.
    static func json(_ record: Record, trail: AuditTrail) throws -> JSONValue {
        var row: JSONObject = [
            "seq": .integer(Int64(record.sequence)), "time": .string(record.appended.rfc3339Nanoseconds),
            "key": .string(record.keyID.hex), "who": .string(trail.signer(of: record).description), "op": .string(record.op),
            "args": .object(JSONObject(try record.request.envelope.args.mapValues { .string($0) })),
            "digest": .string(Hex.encode(record.digest)), "decision": try record.parsedDecision(),
            "outcome": .string(record.denial == nil ? "appended" : "denied"),
            "effects": .array(try trail.effects(of: record).map { try $0.rowJSON() }),
        ]
        if let denial = record.denial { row["denied"] = .string(denial) }
        return .object(row)
    }
}
