import Ledger
import Signing

/// `record console session grant=<seq> event=start|end …`, signed by the frontend key: the
/// Airboss's note that a viewer's connection under a console grant began, or ended, with the
/// bytes relayed each way, how long it lasted and why it ended. A session's end names its
/// start (`session=<seq>`).
struct RecordConsoleSessionOperation: Operation {
    static let op = "record console session"
    var op: String { Self.op }

    func authorize(_ signer: KeyEntry, _ request: RequestEnvelope, views: ViewStore, in txn: borrowing Transaction) throws -> Authorization {
        .role(signer, in: [.frontend], for: request)
    }

    func decide(_ request: RequestEnvelope, context: AppendContext, views: ViewStore, in txn: borrowing Transaction) throws -> JSONValue {
        let grant = try number(request, "grant")
        guard grant < context.sequence else { throw DomainError("grant must be an earlier record") }
        let vm = try request.argument("vm", missing: "must supply the VM")
        switch try request.argument("event", missing: "must supply event=start or event=end") {
        case "start":
            return Session(grant: grant, vm: vm, end: nil).json
        case "end":
            let start = try number(request, "session")
            guard grant < start, start < context.sequence else { throw DomainError("session must be the record of its start") }
            let reason = try request.argument("reason", missing: "must supply why the session ended")
            guard !reason.isEmpty, reason.utf8.count <= 200 else { throw DomainError("reason must be 1 to 200 bytes") }
            return Session(grant: grant, vm: vm, end: Session.End(start: start, bytesToVM: try number(request, "bytes-to-vm"),
                                                                 bytesFromVM: try number(request, "bytes-from-vm"),
                                                                 milliseconds: try number(request, "milliseconds"), reason: reason)).json
        case let other:
            throw DomainError("event must be start or end, not \(MessageText.quote(other))")
        }
    }

    private func number(_ request: RequestEnvelope, _ name: String) throws(DomainError) -> UInt64 {
        let text = try request.argument(name, missing: "must supply \(name)")
        guard let value = UInt64(text), text.allSatisfy(\.isNumber) else { throw DomainError("\(name) must be a whole number, not \(MessageText.quote(text))") }
        return value
    }

    struct Session: Sendable, Equatable {
        struct End: Sendable, Equatable {
            let start: UInt64
            let bytesToVM: UInt64
            let bytesFromVM: UInt64
            let milliseconds: UInt64
            let reason: String
        }

        let grant: UInt64
        let vm: String
        let end: End?

        var json: JSONValue {
            var object: [String: JSONValue] = ["grant": .integer(Int64(grant)), "vm": .string(vm), "event": .string(end == nil ? "start" : "end")]
            if let end {
                object["session"] = .integer(Int64(end.start))
                object["bytes-to-vm"] = .integer(Int64(end.bytesToVM))
                object["bytes-from-vm"] = .integer(Int64(end.bytesFromVM))
                object["milliseconds"] = .integer(Int64(end.milliseconds))
                object["reason"] = .string(end.reason)
            }
            return .object(JSONObject(object))
        }

        init(grant: UInt64, vm: String, end: End?) {
            self.grant = grant
            self.vm = vm
            self.end = end
        }

        init(_ decision: FieldReader) throws {
            let end: End?
            switch try decision.string("event") {
            case "start": end = nil
            case "end":
                end = End(start: UInt64(try decision.integer("session")), bytesToVM: UInt64(try decision.integer("bytes-to-vm")),
                          bytesFromVM: UInt64(try decision.integer("bytes-from-vm")), milliseconds: UInt64(try decision.integer("milliseconds")),
                          reason: try decision.string("reason"))
            case let other: throw DomainError("a console session's event is start or end, not \(MessageText.quote(other))")
            }
            self.init(grant: UInt64(try decision.integer("grant")), vm: try decision.string("vm"), end: end)
        }
    }

    func prepare(_ record: Record) throws -> Session { try FieldReader.read(record, Session.init) }

    func fold(_ prepared: Session, record: Record, into views: ViewStore, in txn: borrowing Transaction) throws {}

    func keysIntroduced(by record: Record) throws -> [PublicKey] { [] }

    func keysRevoked(by record: Record) throws -> [KeyID] { [] }
}
