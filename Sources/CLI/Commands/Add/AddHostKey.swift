import RocksGrammar
import ArgumentParser
import Signing

/// `rocks add host key`: lets a host's owner sign requests for it.
struct AddHostKey: RequestCommand {
    static let configuration = CommandConfiguration(
        commandName: "key",
        abstract: "Add a public key to a host.",
        discussion: """
            \(grammar.usage("rocks add host key"))

            The key must be Ed25519 or RSA of at least 2048 bits, and not already known.
            """)
    static let grammar = Grammar(positional: ["key"], parameters: ["key=<public key PEM file or text>", "id=<n>"], hosts: .required("must supply a host", shown: "<host>"))

    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []

    static let op = "add host key"

    static func request(_ arguments: RocksArguments) throws -> [String: String] {
        guard arguments.hosts.count == 1 else { throw CLIError("must supply only one host") }
        let value = try arguments.required("key", "must supply a public key")
        // Parsed here too, so a private key never reaches a signed request, and only the
        // key itself (normalised PEM, no surrounding text) is signed.
        let key = try PublicKey(pem: try KeyFiles.publicKeyPEM(value))
        var args = ["host": arguments.hosts[0], "key": key.pem]
        args["id"] = arguments["id"]
        return args
    }

    func execute(_ arguments: RocksArguments, in context: CommandContext) throws {
        try LedgerSession.writing(context).submit(Self.op, try Self.request(arguments))
    }
}
