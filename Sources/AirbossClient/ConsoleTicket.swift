import LedgerRecords
import Signing

/// A console grant this client holds: the record that grants it, the token only this client
/// knows (the ledger holds its SHA-256), and when the grant stops opening connections.
package struct ConsoleTicket: Sendable {
    package let grant: UInt64
    package let vm: String
    let token: [UInt8]
    package let expires: Timestamp
    package let receiptPath: String

    /// Whether a connection opened now, with `margin` seconds to spare, is still admitted.
    func isUsable(margin: Int64 = 10) -> Bool { Timestamp.now().adding(seconds: margin) < expires }

    /// `Authorization: Bearer <token>`, the token in hex.
    package var authorization: String { "Bearer " + Hex.encode(token) }
}

extension AirbossClient {
    /// Asks for a console grant for `host` with a fresh token; a denial is an error.
    package func consoleTicket(host: String, key: PrivateKey, seconds: Int? = nil) async throws -> ConsoleTicket {
        let token = SecureRandom.bytes(32)
        var args = ["host": host, "token-sha256": Hex.encode(SHA256.hash(token))]
        if let seconds { args["seconds"] = String(seconds) }
        let reply = try await sendAsync([("open host console", args)], key: key)[0]
        if let denial = reply.denial {
            throw AirbossClientError("the Airboss denied the console of \(host): \(denial) (receipt: record \(reply.record.sequence), kept in \(reply.receiptPath))")
        }
        let decision = try reply.record.parsedDecision()
        guard let vm = decision["vm"]?.stringValue, let expires = decision["expires"]?.stringValue.flatMap(Timestamp.init(rfc3339:)) else {
            throw AirbossClientError("record \(reply.record.sequence) is not a console grant")
        }
        return ConsoleTicket(grant: reply.record.sequence, vm: vm, token: token, expires: expires, receiptPath: reply.receiptPath)
    }
}
