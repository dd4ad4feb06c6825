import ArgumentParser
import Signing

/// `rocks create keys`: a key pair for an operator or a cluster owner.
struct CreateKeys: RocksCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Create a private key file and print its public key.",
        discussion: """
            \(grammar.usage("rocks create keys"))

            Writes a PKCS#8 private key of mode 0600 (AES-256 encrypted with a passphrase) and \
            prints the public key as PEM, ready for 'rocks add host key'. Without a terminal, \
            passphrase=yes needs passphrase-file=.
            """)
    static let grammar = Grammar(positional: ["key"], parameters: ["key=<file>", "type=ed25519|rsa", "bits=3072",
                                                                   "passphrase=yes|no", "passphrase-file=<file>"])

    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []

    func execute(_ arguments: RocksArguments, in context: CommandContext) throws {
        let path = try arguments.required("key", "must supply key=<the private key file to create>")
        let type = try arguments.choice("type", KeyKind.allCases.map(\.rawValue), default: KeyKind.ed25519.rawValue)
        let kind = KeyKind(rawValue: type)!
        if kind == .ed25519, arguments["bits"] != nil { throw CLIError("bits= applies to type=rsa only") }
        let bits = try arguments.integer("bits", in: KeyKind.rsaGenerationBits, default: 3072)
        let passphrase = try passphrase(arguments, context: context)
        let key = try PrivateKey.generate(kind, rsaBits: bits)
        try KeyFiles.writePrivateKey(try key.pkcs8PEM(passphrase: passphrase), to: path)
        context.write(key.publicKey.pem)
    }

    /// The passphrase to encrypt with, or nil for an unencrypted key.
    private func passphrase(_ arguments: RocksArguments, context: CommandContext) throws -> String? {
        let file = arguments["passphrase-file"]
        // Rocks' default: keys are encrypted unless the user says passphrase=no.
        guard try arguments.bool("passphrase", default: true) else {
            if file != nil { throw CLIError("passphrase-file= needs passphrase=yes") }
            return nil
        }
        if let file {
            let text = String(decoding: try KeyFiles.read(file, limit: 4096), as: UTF8.self)
            let line = String(text.split(separator: "\n", omittingEmptySubsequences: false).first ?? "")
            guard !line.isEmpty else { throw CLIError("\(file) holds no passphrase on its first line") }
            return line
        }
        guard let first = context.passphrasePrompt("Enter passphrase: ") else {
            throw CLIError("passphrase=yes needs a terminal or passphrase-file=<file>; use passphrase=no for an unencrypted key")
        }
        guard context.passphrasePrompt("Verify passphrase: ") == first else { throw CLIError("the passphrases do not match") }
        guard !first.isEmpty else { throw CLIError("the passphrase must not be empty") }
        return first
    }
}
