import RocksGrammar
import ArgumentParser
import Ledger
import Projections
import Signing

/// `rocks ledger show <seq>`: one record whole: its place in the chain, the signed request,
/// the decision, the effects it asked for with their outcomes, and the checkpoint covering it.
struct LedgerShow: RocksCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print one record whole: request, decision, effects, covering checkpoint.",
        discussion: """
            \(grammar.usage("rocks ledger show"))

            The checkpoint is the first signed one covering the record, as stored: check it, \
            and the record's place under it, with rocks ledger proof and any c2sp.org \
            tlog-proof verifier.
            """)
    static let grammar = Grammar(positional: ["seq"], parameters: ["seq=<record>", "output-format=json"])

    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []

    func execute(_ arguments: RocksArguments, in context: CommandContext) throws {
        guard arguments["seq"] != nil else { throw CLIError("must supply a record's sequence number") }
        let sequence = UInt64(try arguments.integer("seq", in: 1...Int.max, default: 1))
        let json = try arguments.choice("output-format", ["text", "json"], default: "text") == "json"
        let ledger = try LedgerSession.reading(context).ledger
        guard let record = try ledger.record(sequence) else {
            throw CLIError("no record \(sequence): the log holds records 1 to \(try ledger.head().sequence)")
        }
        let trail = try AuditTrail(ledger: ledger, from: sequence, to: sequence)
        let checkpoint = try ledger.checkpoint(covering: sequence)
        if json {
            guard case .object(var row) = try AuditText.json(record, trail: trail) else { return }
            row["previous"] = .string(Hex.encode(record.previousDigest))
            row["request"] = .string(String(decoding: try record.request.bytes, as: UTF8.self))
            row["signature"] = .string(Hex.encode(try record.request.signature))
            row["checkpoint"] = checkpoint.map { .string(String(decoding: $0.bytes, as: UTF8.self)) }
            context.print(JSONOutput.render([.object(row)]))
            return
        }
        let request = try record.request
        let envelope = request.envelope
        var lines = [
            "record \(record.sequence), appended \(record.appended.rfc3339Nanoseconds)",
            "  digest     \(Hex.encode(record.digest))",
            "  previous   \(Hex.encode(record.previousDigest))",
            "request \(envelope.op), signed by \(trail.signer(of: record)) with key \(record.keyID.hex) (\(envelope.alg.rawValue))",
        ]
        // Each argument in the column the fields below use; a multi-line value (a PEM) indented under it.
        for (name, value) in envelope.args.sorted(by: { $0.key < $1.key }) {
            let label = "  " + name + String(repeating: " ", count: max(1, 11 - name.count))
            let valueLines = value.split(separator: "\n", omittingEmptySubsequences: false)
            lines.append(label + (valueLines.first ?? ""))
            lines += valueLines.dropFirst().map { String(repeating: " ", count: label.count) + $0 }
        }
        lines += [
            "  nonce      \(envelope.nonce)",
            "  issued     \(envelope.issued.rfc3339Seconds), expires \(envelope.expires.rfc3339Seconds)",
            "  signature  \(Hex.encode(request.signature))",
            "decision     \(String(decoding: record.decision, as: UTF8.self))",
            "outcome      \(AuditText.verdict(record))",
        ]
        for effect in trail.effects(of: record) {
            lines.append("  effect \(effect.id): \(effect.kind.rawValue) \(effect.vm) on \(effect.container): \(effect.status.rawValue), "
                         + "\(effect.attempts) attempt\(effect.attempts == 1 ? "" : "s")")
            if let message = effect.message { lines.append("    " + message) }
        }
        if let checkpoint {
            lines.append("checkpoint covering it (\(checkpoint.sequence) records):")
            lines += String(decoding: checkpoint.bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).dropLast().map { "  " + $0 }
        } else {
            lines.append("checkpoint   none covers it yet: run 'rocks ledger verify'")
        }
        context.print(lines.joined(separator: "\n"))
    }
}
