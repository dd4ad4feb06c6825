import AirbossAPI
import Dispatch
import LedgerRecords
import NIOHTTP1
import RocksGrammar
import Signing
import Transparency

#if canImport(Glibc)
import Glibc
#endif

/// An owner's client of the Airboss: it authenticates the server before sending anything,
/// signs the request for the ledger it pinned, and believes the answer only once its receipt
/// checks out (``Receipt``). What `rocks set host power`, `rocks list host macs`,
/// `rocks set cluster power` and `pilot` share.
///
/// The server is the Airboss of the pinned ledger when its TLS certificate is signed by the
/// pinned frontend key and names the pinned ledger, and its newest checkpoint verifies with
/// that key. The pin is `server-key=` (a key id, or a PEM file), or `known_frontends`, learnt
/// on first use; a changed key or ledger behind a known address is refused.
package struct AirbossClient: Sendable {
    /// What `server-key=` gives: the frontend key itself, or only its id.
    package enum ServerKey: Sendable {
        case key(PublicKey)
        case id(KeyID)

        func admits(_ key: PublicKey) -> Bool {
            switch self {
            case .key(let pinned): pinned == key
            case .id(let id): id == key.id
            }
        }
    }

    /// What came back, checked.
    package struct Reply: Sendable {
        /// The record that holds the request, proven by the receipt.
        package let record: Record
        package let checkpoint: Checkpoint
        package let answer: AirbossAnswer
        /// Where the receipt was kept.
        package let receiptPath: String
        /// The denial the record holds, if the request was not allowed.
        package var denial: String? { record.denial }
    }

    package let host: String
    package let port: Int
    package let known: KnownFrontends
    package let serverKey: ServerKey?
    /// Where receipts are kept, one file per record: `<ledger id>-<sequence>.proof`.
    package let receipts: String
    /// Hears one line when a frontend is pinned on first use.
    package let notice: @Sendable (String) -> Void
    /// Seconds for one whole exchange: a power request waits for its outcomes.
    package var deadline: Int64 = 180

    package static let defaultAddress = "localhost:8677"

    package init(address: String, known: KnownFrontends, serverKey: ServerKey?, receipts: String, notice: @escaping @Sendable (String) -> Void) throws(CLIError) {
        guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]), (1...65535).contains(port),
              colon != address.startIndex
        else { throw CLIError("airboss must be <host>:<port>, like localhost:8677, not \(MessageText.quote(address))") }
        self.host = String(address[..<colon])
        self.port = port
        self.known = known
        self.serverKey = serverKey
        self.receipts = receipts
        self.notice = notice
    }

    package var address: String { "\(host):\(port)" }

    /// Signs `op` with `key` for the Airboss's ledger, sends it, and returns the checked reply.
    package func send(_ op: String, _ args: [String: String], key: PrivateKey) throws -> Reply {
        try send([(op, args)], key: key)[0]
    }

    /// Sends requests one after another over one connection (HTTP keep-alive), the server
    /// authenticated once, each reply checked; `checked` hears each as it is.
    package func send(_ requests: [(op: String, args: [String: String])], key: PrivateKey,
                      checked: @escaping @Sendable (Reply) -> Void = { _ in }) throws -> [Reply]
    {
        let client = self
        return try Self.blocking { try await client.sendAsync(requests, key: key, checked: checked) }
    }

    /// ``send(_:key:checked:)`` for a caller that is itself async.
    package func sendAsync(_ requests: [(op: String, args: [String: String])], key: PrivateKey,
                           checked: @escaping @Sendable (Reply) -> Void = { _ in }) async throws -> [Reply]
    {
        let chain = HTTPSConnection.PeerChain()
        let connection = HTTPSConnection(host: host, port: port, deadline: deadline)
        let client = self
        return try await connection.exchange(accept: { chain.keep($0); return true }) { send in
            let answer = try await send(.GET, "/v1/ledger", nil)
            guard answer.status == 200 else { throw AirbossClientError("the Airboss did not describe its ledger: \(Self.reason(answer))") }
            let identity = try client.authenticate(LedgerIdentity(json: answer.body), chain: chain.der)
            var replies: [Reply] = []
            for (op, args) in requests {
                let envelope = RequestEnvelope(op: op, args: args, signer: key.publicKey, ledger: identity.ledger, now: .now())
                let request = try SignedRequest(signing: envelope, with: key)
                let reply = try await send(.POST, "/v1/requests", request.document)
                guard reply.status == 200 || reply.status == 403 else {
                    throw AirbossClientError("the Airboss refused the request (HTTP \(reply.status)): \(Self.reason(reply))")
                }
                replies.append(try client.check(AirbossAnswer(json: reply.body), request: request, identity: identity))
                checked(replies[replies.count - 1])
            }
            return replies
        }
    }

    /// Checks the server against the pins, and pins it on first use.
    private func authenticate(_ identity: LedgerIdentity, chain: [[UInt8]]) throws -> LedgerIdentity {
        let known = try self.known.entry(for: address)
        if let known, known.ledger != identity.ledger || known.key != identity.frontendKey {
            throw AirbossClientError("""
                the Airboss at \(address) serves ledger \(identity.ledger.hex) with frontend key \(identity.frontendKey.id.short), \
                but \(self.known.path) pins ledger \(known.ledger.hex) with key \(known.key.id.short) there: refusing to talk to it \
                (if that frontend really was set up anew, delete its line from \(self.known.path))
                """)
        }
        if let serverKey, !serverKey.admits(identity.frontendKey) {
            throw AirbossClientError("the Airboss at \(address) presents frontend key \(identity.frontendKey.id.short), not the server-key given: refusing to talk to it")
        }
        try Self.checkCertificate(chain, frontendKey: identity.frontendKey, ledger: identity.ledger, address: address)
        do {
            _ = try Receipt.verifierKey(for: identity.checkpoint, frontendKey: identity.frontendKey, ledger: identity.ledger)
        } catch {
            throw AirbossClientError("the Airboss's newest checkpoint does not verify: \(error.message)")
        }
        if known == nil {
            try self.known.add(KnownFrontends.Entry(airboss: address, ledger: identity.ledger, key: identity.frontendKey))
            notice("pinned the Airboss at \(address): ledger \(identity.ledger.hex), frontend key \(identity.frontendKey.id.hex) (in \(self.known.path))")
        }
        return identity
    }

    /// The Airboss's certificate must be signed by the frontend key and name the ledger.
    static func checkCertificate(_ chain: [[UInt8]], frontendKey: PublicKey, ledger: LedgerID, address: String) throws {
        guard let leaf = chain.first, let certificate = try? ServerCertificate(der: leaf) else {
            throw AirbossClientError("the Airboss at \(address) presented no readable certificate")
        }
        guard certificate.isSigned(by: frontendKey), certificate.ledger == ledger else {
            throw AirbossClientError("the Airboss at \(address) presents a certificate not signed by frontend key \(frontendKey.id.short) for ledger \(ledger.hex): refusing to talk to it")
        }
        guard certificate.isCurrent(at: .now()) else { throw AirbossClientError("the Airboss's certificate is outside its validity: restart the Airboss to renew it") }
    }

    /// Checks the receipt before anything of the answer is believed, and keeps it.
    private func check(_ answer: AirbossAnswer, request: SignedRequest, identity: LedgerIdentity) throws -> Reply {
        let receipt = try Receipt(parsing: answer.receipt)
        let checked = try receipt.check(frontendKey: identity.frontendKey, ledger: identity.ledger, request: request)
        if access(receipts, F_OK) != 0, mkdir(receipts, 0o700) != 0 {
            throw AirbossClientError("cannot create \(receipts): \(String(cString: strerror(errno)))")
        }
        let path = "\(receipts)/\(identity.ledger.hex)-\(checked.record.sequence).proof"
        try KeyFiles.writeAtomically(receipt.bytes, to: path, mode: 0o600)
        return Reply(record: checked.record, checkpoint: checked.checkpoint, answer: answer, receiptPath: path)
    }

    private static func reason(_ answer: HTTPSConnection.Answer) -> String {
        AirbossAnswer.errorReason(answer.body) ?? "HTTP \(answer.status)"
    }

    /// Runs async work to its end from synchronous code (the commands), on threads of its
    /// own: the caller may itself be one of the few threads of Swift's shared pool, which
    /// blocking here must not starve.
    package static func blocking<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) throws -> T {
        let outcome = Outcome<T>()
        let done = DispatchSemaphore(value: 0)
        Task(executorPreference: ClientExecutor.shared) {
            do { outcome.result = .success(try await work()) } catch { outcome.result = .failure(error) }
            done.signal()
        }
        done.wait()
        do {
            return try outcome.result!.get()
        } catch let error as AirbossClientError {
            throw error
        } catch let error as ReceiptError {
            throw AirbossClientError("the Airboss's answer is refused: \(error.message)")
        } catch let error as CLIError {
            throw AirbossClientError(error.message)
        } catch {
            throw AirbossClientError("cannot reach the Airboss: \(error)")
        }
    }

    private final class Outcome<T>: @unchecked Sendable {
        var result: Result<T, Error>?
    }
}

/// A client's refusal, printed as Rocks' one `error - …` line.
package struct AirbossClientError: Error, Sendable, CustomStringConvertible {
    package let message: String
    package init(_ message: String) { self.message = message }
    package var description: String { message }
}

/// Runs the client's tasks on Dispatch's threads, which grow when some block, instead of the
/// shared cooperative pool (one thread per core).
private final class ClientExecutor: TaskExecutor {
    static let shared = ClientExecutor()
    private let queue = DispatchQueue(label: "rocks.airboss-client", attributes: .concurrent)

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
