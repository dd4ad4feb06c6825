import RocksGrammar
import ArgumentParser
import Signing

/// `rocks ledger submit`: appends a request signed elsewhere (by an owner, or offline).
struct LedgerSubmit: RocksCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Append a request signed elsewhere.",
        discussion: """
            \(grammar.usage("rocks ledger submit"))

            The file holds {"request":"<canonical JSON envelope>","signature":"<base64url>"} \
            in any JSON spelling, at most 80 KiB (docs/ledger-format.md). The signature, key, \
            nonce and expiry are checked as for every request.
            """)
    static let grammar = Grammar(positional: ["file"], parameters: ["file=<signed request>"])

    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []

    func execute(_ arguments: RocksArguments, in context: CommandContext) throws {
        let path = try arguments.required("file", "must supply file=<signed request>")
        let request = try SignedRequest(document: KeyFiles.read(path, limit: SignedRequest.maximumDocumentByteCount))
        let appended = try LedgerSession.writing(context).submit(request)
        context.print("appended record \(appended.sequence)")
    }
}
