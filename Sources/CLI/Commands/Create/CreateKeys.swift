import RocksGrammar
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
        context.write(try KeyFiles.createKeys(arguments, prompt: context.passphrasePrompt))
    }
}
