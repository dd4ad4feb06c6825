// The crash tests' victim: appends to a ledger until it is killed, printing each commit the
// moment it is durable, so the test knows exactly what must survive a `kill -9`.
//
//   ledger-soak append <ROCKS_HOME>       add and remove host keys, one commit each, forever
//   ledger-soak hold-reader <ROCKS_HOME>  open a read transaction and wait to be killed
import Foundation
import Ledger
import ProcessSupport
import Projections
import Signing

BrokenPipes.ignore()

func fail(_ message: String) -> Never {
    BrokenPipes.writeAll("ledger-soak: \(message)\n", to: STDERR_FILENO)
    exit(2)
}

let arguments = CommandLine.arguments
guard arguments.count == 3 else { fail("usage: ledger-soak append|hold-reader <ROCKS_HOME>") }
let home = arguments[2]

/// Writes a line straight to the stdout file descriptor: no buffer a kill could lose. A test
/// that stops reading ends the appender by SIGPIPE, as if the signal were not ignored.
func say(_ line: String) {
    if let failure = BrokenPipes.writeAll(line + "\n", to: STDOUT_FILENO) { fail("cannot write: \(failure)") }
}

func privateKey(_ name: String) -> PrivateKey {
    guard let pem = try? String(contentsOfFile: "\(home)/keys/\(name).pem", encoding: .utf8),
          let key = try? PrivateKey(pem: pem) else { fail("cannot read \(name).pem") }
    return key
}

do {
    let projection = DomainProjection()
    switch arguments[1] {
    case "append":
        let admin = privateKey("admin")
        let ledger = try Ledger(directory: home + "/ledger", projection: projection, frontendKey: privateKey("frontend"))
        let host = try ledger.read { txn in try projection.frontendSettings(in: txn, environment: ledger.environment) }?.hostName ?? "frontend"
        var number = try ledger.read { txn in try DomainReader(environment: ledger.environment).hostKeys([], in: txn) }.last?.key.number ?? 0
        while true {
            let owner = try PrivateKey.generate()
            let add = RequestEnvelope(op: "add host key", args: ["host": host, "key": owner.publicKey.pem], signer: admin.publicKey,
                                      ledger: ledger.id, now: .now())
            let added = try ledger.append(try SignedRequest(signing: add, with: admin))
            say("committed \(added.sequence)")
            number = added.decision["number"]?.integerValue ?? number + 1
            let remove = RequestEnvelope(op: "remove host key", args: ["host": host, "id": String(number)], signer: admin.publicKey,
                                         ledger: ledger.id, now: .now())
            say("committed \(try ledger.append(try SignedRequest(signing: remove, with: admin)).sequence)")
        }
    case "hold-reader":
        let ledger = try Ledger(directory: home + "/ledger", projection: projection)
        try ledger.read { _ in
            say("reading")
            while true { sleep(60) }
        }
    default:
        fail("unknown mode \(arguments[1])")
    }
} catch {
    fail("\(error)")
}
