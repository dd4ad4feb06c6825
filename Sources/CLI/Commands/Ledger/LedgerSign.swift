import ArgumentParser
import Ledger
import Signing

#if canImport(Glibc)
import Glibc
#endif

/// `rocks ledger sign`: signs a request with any key, for `rocks ledger submit` to append.
/// This is how a request is made away from the frontend (an owner's laptop, an offline
/// admin key), and how an auditor reproduces what a requester sent.
struct LedgerSign: RocksCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign",
        abstract: "Sign a request for later 'rocks ledger submit'.",
        discussion: """
            \(grammar.usage("rocks ledger sign"))

            Every other name=value becomes an argument of the request; a value @<file> is \
            replaced by the file's contents (e.g. key=@owner.pub). ledger= defaults to the \
            ledger in ROCKS_HOME. The request is valid for lifetime seconds (at most 600).
            """)
    static let grammar = Grammar(
        mandatory: ["signing-key"],
        parameters: ["signing-key=<private key file>", "passphrase-file=<file>", "ledger=<id>", "lifetime=300", "out=<file>"],
        hosts: .required("must supply the command words to sign, e.g. add host key", shown: "<command words...>"),
        acceptsOtherParameters: true)

    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []

    func execute(_ arguments: RocksArguments, in context: CommandContext) throws {
        let keyPath = try arguments.required("signing-key", "must supply signing-key=<private key file>")
        let passphrase = try arguments["passphrase-file"].map { path in
            String(String(decoding: try KeyFiles.read(path, limit: 4096), as: UTF8.self).split(separator: "\n").first ?? "")
        }
        let key = try KeyFiles.loadPrivateKey(keyPath, passphrase: passphrase)
        let ledger = try ledgerID(arguments, context: context)
        let lifetime = try arguments.integer("lifetime", default: 300, "lifetime must be a number of seconds")!
        guard (1...Int(RequestEnvelope.maximumLifetimeSeconds)).contains(lifetime) else {
            throw CLIError("lifetime must be 1 to \(RequestEnvelope.maximumLifetimeSeconds) seconds")
        }
        var args: [String: String] = [:]
        for (name, value) in arguments.parameters where !Self.grammar.names.contains(name) {
            args[name] = value.hasPrefix("@") ? String(decoding: try KeyFiles.read(String(value.dropFirst())), as: UTF8.self) : value
        }
        let op = arguments.hosts.joined(separator: " ")
        guard RequestEnvelope.isValidOp(op) else { throw CLIError("'\(op)' is not a sequence of lower-case command words") }
        let envelope = RequestEnvelope(op: op, args: args, signer: key.publicKey, ledger: ledger, now: context.clock(), lifetime: Int64(lifetime))
        let document = try SignedRequest(signing: envelope, with: key).document
        if let out = arguments["out"] {
            try KeyFiles.writeAtomically(document + [UInt8(ascii: "\n")], to: out, mode: 0o600)
        } else {
            context.print(String(decoding: document, as: UTF8.self))
        }
    }

    private func ledgerID(_ arguments: RocksArguments, context: CommandContext) throws -> LedgerID {
        if let text = arguments["ledger"] {
            guard let id = LedgerID(hex: text) else { throw CLIError("ledger must be 32 lower-case hex digits, not '\(text)'") }
            return id
        }
        return try LedgerSession.reading(context).ledger.id
    }
}
