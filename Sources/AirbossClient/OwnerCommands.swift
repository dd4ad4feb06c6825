import AirbossAPI
import LedgerRecords
import RocksGrammar
import Signing
import Transparency

/// The owners' commands, shared by `rocks` (on a frontend) and `pilot` (on a laptop): each
/// sends one signed request through ``AirbossClient`` and turns the checked reply into the
/// lines it prints. What the log proves (a denial, the MACs listed, the effects asked for) is
/// read from the record the receipt proves; outcomes and observed states come from the answer.
package enum OwnerCommands {
    /// The parameters every owner command takes, for the commands' grammars.
    package static let connectionParameters = ["key=<private key>", "passphrase-file=<file>", "airboss=localhost:8677", "server-key=<key id or PEM file>"]

    /// The client `airboss=` and `server-key=` ask for, with the user's pins and receipts.
    package static func client(_ arguments: RocksArguments, environment: [String: String],
                              notice: @escaping @Sendable (String) -> Void) throws -> AirbossClient
    {
        let directory = KnownFrontends.userDirectory(environment)
        return try AirbossClient(address: arguments["airboss"] ?? AirbossClient.defaultAddress,
                                 known: KnownFrontends(path: directory + "/known_frontends"),
                                 serverKey: try serverKey(arguments["server-key"]), receipts: directory + "/receipts", notice: notice)
    }

    /// `server-key=`: a key id (64 hex digits) or a PEM public key file.
    static func serverKey(_ value: String?) throws -> AirbossClient.ServerKey? {
        guard let value else { return nil }
        if let id = KeyID(hex: value) { return .id(id) }
        do {
            return .key(try PublicKey(pem: KeyFiles.publicKeyPEM(value)))
        } catch let error as SigningError {
            throw CLIError("server-key: \(error.message)")
        }
    }

    /// The owner's private key, `key=`: an encrypted one with the passphrase on the first line
    /// of `passphrase-file=`, or else asked for on the terminal.
    package static func key(_ arguments: RocksArguments, passphrase prompt: (String) -> String?) throws -> PrivateKey {
        let path = try arguments.required("key", "must supply a key")
        if let file = arguments["passphrase-file"] { return try KeyFiles.loadPrivateKey(path, passphrase: KeyFiles.passphrase(fromFile: file)) }
        do {
            return try KeyFiles.loadPrivateKey(path)
        } catch let error as CLIError where error.message.contains("passphrase") {
            guard let passphrase = prompt("Passphrase for \(path): ") else {
                throw CLIError("\(path) is encrypted: give passphrase-file=<file>, or run from a terminal")
            }
            return try KeyFiles.loadPrivateKey(path, passphrase: passphrase)
        }
    }

    /// `set host power <host…> action=on|off|install [async=yes]`, and with `cluster`,
    /// `set cluster power <frontend> action=… [delay=]`.
    package static func setPower(_ targets: [String], _ arguments: RocksArguments, cluster: Bool, client: AirbossClient,
                                key: PrivateKey) throws -> [String]
    {
        guard !targets.isEmpty else { throw CLIError("must supply a host") }
        let action = try arguments.required("action", "must supply an action")
        guard ["on", "off", "install"].contains(action) else { throw CLIError("invalid action. action must be \"on\", \"off\" or \"install\"") }
        var args = ["action": action, (cluster ? "host" : "hosts"): targets.joined(separator: " ")]
        if try arguments.bool("async", default: false) { args["async"] = "yes" }
        if cluster, let delay = arguments["delay"] { args["delay"] = delay }
        let reply = try allowed(client.send(cluster ? "set cluster power" : "set host power", args, key: key))
        var lines: [String] = []
        var failures: [String] = []
        for outcome in reply.answer.outcomes {
            let state = reply.answer.states[outcome.vm].map { ", now \($0)" } ?? ""
            switch outcome.status {
            case "pending": lines.append("\(outcome.vm): \(action) pending (effect \(outcome.effect))")
            case "succeeded": lines.append("\(outcome.vm): \(action) done\(state)")
            default: failures.append("\(outcome.vm): \(action) failed: \(outcome.message ?? "no reason given")")
            }
        }
        lines.append(receiptLine(reply))
        if let failure = failures.first { throw CLIError(([failure] + failures.dropFirst()).joined(separator: "; ") + " (\(receiptLine(reply)))") }
        return lines
    }

    /// `list host macs <host> [status=yes]`: Rocks' `MACS IN CLUSTER` table, with names; with
    /// `raw`, pilot's lines `<mac> [<state> ]<name>`.
    package static func listMACs(_ target: String, _ arguments: RocksArguments, raw: Bool, client: AirbossClient, key: PrivateKey) throws -> [String] {
        let status = try arguments.bool("status", default: raw)
        let reply = try allowed(client.send("list host macs", ["host": target, "status": status ? "yes" : "no"], key: key))
        let decision = try reply.record.parsedDecision()
        guard let listed = decision["macs"]?.arrayValue else { throw CLIError("record \(reply.record.sequence) lists no MACs") }
        let rows: [[String]] = listed.map { entry in
            let mac = entry["mac"]?.stringValue ?? "?", name = entry["name"]?.stringValue ?? "?"
            return status ? [mac, reply.answer.states[name] ?? "unknown", name] : [mac, name]
        }
        if raw { return rows.map { $0.joined(separator: " ") } + [receiptLine(reply)] }
        let header = status ? ["MACS IN CLUSTER", "STATE", "NAME"] : ["MACS IN CLUSTER", "NAME"]
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        let table = ([header] + rows).map { row in
            row.enumerated().map { $0.offset == row.count - 1 ? $0.element : $0.element.padding(to: widths[$0.offset]) }.joined(separator: " ")
        }
        return table + [receiptLine(reply)]
    }

    /// `verify receipt=<file>`: checks a kept receipt offline against the pinned frontend of
    /// its ledger (or `server-key=`, a PEM file).
    package static func verifyReceipt(_ path: String, serverKey: String?, environment: [String: String]) throws -> [String] {
        let receipt = try Receipt(parsing: KeyFiles.read(path, limit: InclusionProofFile.sizeLimit))
        guard let stored = receipt.proof.extra, let record = try? Record(stored: stored), let ledger = try? record.request.envelope.ledger else {
            throw CLIError("\(path): the receipt carries no readable record")
        }
        let known = KnownFrontends(path: KnownFrontends.userDirectory(environment) + "/known_frontends")
        let frontendKey: PublicKey
        switch try Self.serverKey(serverKey) {
        case .key(let key): frontendKey = key
        case .id(let id):
            guard let entry = try known.entry(forLedger: ledger), entry.key.id == id else { throw CLIError("server-key \(id.short) is not pinned for ledger \(ledger.hex): give its PEM file") }
            frontendKey = entry.key
        case nil:
            guard let entry = try known.entry(forLedger: ledger) else {
                throw CLIError("ledger \(ledger.hex) is not in \(known.path): give server-key=<frontend key PEM file>")
            }
            frontendKey = entry.key
        }
        let checked = try receipt.check(frontendKey: frontendKey, ledger: ledger)
        let outcome = checked.record.denial.map { "denied: \($0)" } ?? "allowed"
        return ["verified: record \(checked.record.sequence) ('\(checked.record.op)', key \(checked.record.keyID.short), \(outcome)) is in the log of \(checked.checkpoint.size) records (\(checked.checkpoint.origin))"]
    }

    /// The reply, unless its record is a denial: then the denial, as the command's error.
    private static func allowed(_ reply: AirbossClient.Reply) throws -> AirbossClient.Reply {
        if let denial = reply.denial { throw CLIError("the Airboss denied the request: \(denial) (\(receiptLine(reply)))") }
        return reply
    }

    private static func receiptLine(_ reply: AirbossClient.Reply) -> String {
        "receipt: record \(reply.record.sequence), proven in the log of \(reply.checkpoint.size) records, kept in \(reply.receiptPath)"
    }
}

extension String {
    fileprivate func padding(to width: Int) -> String { self + String(repeating: " ", count: max(0, width - count)) }
}
