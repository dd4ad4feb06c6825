import CLI
import FuzzSupport
import Projections
import Signing

/// The CLI's Rocks grammar: the input is a command line, its words separated by NUL bytes
/// (the way a shell hands them over), read as `rocks` reads it, without being run.
///
/// - A parameter read is one its command accepts; every value given is read once, as a
///   parameter or as a host.
/// - The request a command would append is the one `rocks ledger sign` signs for the same
///   words.
/// - The domain's offline form check answers or refuses, never crashes.
enum FuzzGrammar {
    static func check(_ bytes: [UInt8]) {
        let words = bytes.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        // A key may be read from a file (`key=<path>`, `name=@<path>`): no device that could
        // block, no pseudo file system.
        let files = ["/dev", "/proc", "/sys", "@"]
        guard words.count <= 64, !words.contains(where: { word in files.contains { word.contains($0) } }),
              let read = try? ParsedCommandLine.byGrammar(words) else { return }
        if let accepted = read.acceptedNames {
            for name in read.parameters.keys { FuzzInput.require(accepted.contains(name), "read parameter \(name) its command does not accept") }
        }
        FuzzInput.require(read.parameters.count + read.hosts.count <= words.count, "read more values than were given")
        guard let request = try? read.request() else { return }
        let signed = try? ParsedCommandLine.signedRequest(words)
        FuzzInput.require(signed?.op == request.op && signed?.args == request.args, "ledger sign would sign another request than the command appends")
        let envelope = RequestEnvelope(op: request.op, args: request.args, key: KeyID(bytes: [UInt8](repeating: 7, count: 32))!,
                                       alg: .ed25519, issued: Timestamp(secondsSinceEpoch: 0), expires: Timestamp(secondsSinceEpoch: 300),
                                       ledger: LedgerID(bytes: [UInt8](repeating: 1, count: 16))!)
        _ = try? RequestForm.check(envelope)
    }
}

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzGrammar.check(FuzzInput.bytes(data, size))
    return 0
}
#else
@main enum Replay {
    static func main() { FuzzInput.replay(FuzzGrammar.check) }
}
#endif
