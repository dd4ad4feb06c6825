import RocksGrammar
import ArgumentParser
import Ledger
import Projections
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

            The command words and parameters are those of the command whose request is \
            signed, read by that command's grammar (rocks ledger sign start host vm \
            hosted-vm-0-0-0 signing-key=owner.pem); numbers, MACs and IPs are checked here, \
            the rest at submit. A value @<file> is replaced by the file's contents \
            (key=@owner.pub). ledger= defaults to the ledger in ROCKS_HOME. The request is \
            valid for lifetime seconds (at most 600).
            """)
    static let grammar = Grammar(
        mandatory: ["signing-key"],
        parameters: ["signing-key=<private key file>", "passphrase-file=<file>", "ledger=<id>", "lifetime=300", "out=<file>"],
        hosts: .required("must supply the command to sign, e.g. start host vm <vm>", shown: "<command> <its parameters...>"),
        acceptsOtherParameters: true)

    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []

    func execute(_ arguments: RocksArguments, in context: CommandContext) throws {
        let keyPath = try arguments.required("signing-key", "must supply signing-key=<private key file>")
        let lifetime = try arguments.integer("lifetime", in: 1...Int(RequestEnvelope.maximumLifetimeSeconds), default: 300, unit: "seconds")
        let request = try Self.request(arguments.tokens)
        let passphrase = try arguments["passphrase-file"].map(KeyFiles.passphrase(fromFile:))
        let key = try KeyFiles.loadPrivateKey(keyPath, passphrase: passphrase)
        let envelope = RequestEnvelope(op: request.op, args: request.args, signer: key.publicKey, ledger: try ledgerID(arguments, context: context),
                                       now: context.clock(), lifetime: Int64(lifetime))
        try RequestForm.check(envelope)
        let document = try SignedRequest(signing: envelope, with: key).document
        if let out = arguments["out"] {
            try KeyFiles.writeAtomically(document + [UInt8(ascii: "\n")], to: out, mode: 0o600)
        } else {
            context.print(String(decoding: document, as: UTF8.self))
        }
    }

    /// The request the command its leading words name would append, read from the tokens
    /// left when sign's own parameters are taken out, by that command's grammar.
    static func request(_ tokens: [String]) throws -> (op: String, args: [String: String]) {
        var rest: [String] = []
        for token in tokens {
            if let (name, _) = RocksArguments.parameter(token), grammar.names.contains(name) { continue }
            // `name=@file` reads the value from a file (key=@owner.pub).
            if let (name, value) = RocksArguments.parameter(token), value.hasPrefix("@") {
                rest.append(name + "=" + String(decoding: try KeyFiles.read(String(value.dropFirst())), as: UTF8.self))
            } else {
                rest.append(token)
            }
        }
        let wordCount = RocksCLI.commandPath(rest).wordCount
        let notARequest = CLIError("\(MessageText.quote(rest.prefix(max(wordCount, 1)).joined(separator: " "))) is not a command that appends a request (e.g. start host vm, add host key)")
        guard let request = try ParsedCommandLine.byGrammar(rest)?.request() else { throw notARequest }
        return request
    }

    private func ledgerID(_ arguments: RocksArguments, context: CommandContext) throws -> LedgerID {
        if let text = arguments["ledger"] {
            guard let id = LedgerID(hex: text) else { throw CLIError("ledger must be 32 lower-case hex digits, not '\(text)'") }
            return id
        }
        return try LedgerSession.reading(context).ledger.id
    }
}
