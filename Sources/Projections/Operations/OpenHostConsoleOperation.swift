import Ledger
import Signing

/// `open host console <host> token-sha256=<hex> [seconds=300]`, through the Airboss: a grant
/// to relay the VM's VNC console to whoever holds the token whose SHA-256 the request
/// carries, for `seconds` (at most five minutes) from its append. Authorized exactly as a
/// power request for the same host. The client makes the token and never sends it in the
/// request, so the ledger, which holds only its hash, cannot give it away; it is shown to
/// the Airboss only when a viewer connects (docs/airboss-api.md).
struct OpenHostConsoleOperation: Operation {
    static let op = "open host console"
    var op: String { Self.op }
    /// How long a grant may open connections.
    static let longest: Int64 = 300

    func authorize(_ signer: KeyEntry, _ request: RequestEnvelope, views: ViewStore, in txn: borrowing Transaction) throws -> Authorization {
        let targets = try OwnerScope.targets(request, "host")
        guard targets.count == 1 else { throw DomainError("must supply only one host") }
        _ = try tokenHash(request)
        _ = try seconds(request)
        switch try OwnerScope.resolve(targets, for: signer, views: views, in: txn) {
        case .success: return .allowed
        case .failure(let refusal): return .denied(refusal.reason)
        }
    }

    func decide(_ request: RequestEnvelope, context: AppendContext, views: ViewStore, in txn: borrowing Transaction) throws -> JSONValue {
        let (text, target) = try OwnerScope.targets(request, "host")[0]
        guard let vm = try OwnerScope.vm(target, views: views, in: txn) else { throw DomainError("no VM named \(MessageText.quote(text))") }
        return ConsoleGrant(vm: vm.name, container: vm.container, tokenSHA256: try tokenHash(request),
                     expires: context.time.adding(seconds: try seconds(request))).json
    }

    private func tokenHash(_ request: RequestEnvelope) throws(DomainError) -> String {
        let text = try request.argument("token-sha256", missing: "must supply token-sha256=<the SHA-256 of the console token, in hex>")
        guard text.utf8.count == 64, Hex.decode(text) != nil, text == text.lowercased() else {
            throw DomainError("token-sha256 must be 64 lower-case hex digits")
        }
        return text
    }

    private func seconds(_ request: RequestEnvelope) throws(DomainError) -> Int64 {
        guard let text = request.args["seconds"] else { return Self.longest }
        guard let seconds = Int64(text), (1...Self.longest).contains(seconds) else {
            throw DomainError("seconds must be a whole number from 1 to \(Self.longest), not \(MessageText.quote(text))")
        }
        return seconds
    }

    /// Read to check the decision is one this build understands; a grant changes no view.
    func prepare(_ record: Record) throws -> ConsoleGrant { try FieldReader.read(record, ConsoleGrant.init) }

    func fold(_ prepared: ConsoleGrant, record: Record, into views: ViewStore, in txn: borrowing Transaction) throws {}

    func keysIntroduced(by record: Record) throws -> [PublicKey] { [] }

    func keysRevoked(by record: Record) throws -> [KeyID] { [] }
}

/// The grant: which VM, on which container, for which token, until when.
public struct ConsoleGrant: Sendable, Equatable {
    /// The owners' request for a grant, and the frontend's notes of each session under one.
    public static let op = OpenHostConsoleOperation.op
    public static let sessionOp = RecordConsoleSessionOperation.op

    public let vm: String
    public let container: String
    public let tokenSHA256: String
    public let expires: Timestamp

    var json: JSONValue {
        ["vm": .string(vm), "container": .string(container), "token-sha256": .string(tokenSHA256), "expires": .string(expires.rfc3339Nanoseconds)]
    }

    init(vm: String, container: String, tokenSHA256: String, expires: Timestamp) {
        self.vm = vm
        self.container = container
        self.tokenSHA256 = tokenSHA256
        self.expires = expires
    }

    init(_ decision: FieldReader) throws {
        self.init(vm: try decision.string("vm"), container: try decision.string("container"), tokenSHA256: try decision.string("token-sha256"),
                  expires: try decision.string("expires", as: "an RFC 3339 time", Timestamp.init(rfc3339:)))
    }

    /// The grant an allowed `open host console` record holds.
    public init(record: Record) throws {
        guard record.op == Self.op, record.denial == nil else {
            throw DomainError("record \(record.sequence) is not a console grant")
        }
        self = try FieldReader.read(record, ConsoleGrant.init)
    }
}

