import Ledger
import Signing

/// `record outcome`: what an executor did about an effect, signed with the frontend key.
/// `attempt` records a try that will be retried; `succeeded` and `failed` are final, and an
/// effect has exactly one final outcome. When every effect of a removal has succeeded, the
/// removal's names, addresses and VLAN are freed, and its effects leave the view; a failed
/// effect of a removal stays, holding them. A start's or a stop's effect leaves the view at
/// its final outcome. A successful start may report the VM's console (`console=<address:port>`).
struct RecordOutcomeOperation: Operation {
    static let op = "record outcome"
    var op: String { Self.op }
    static let statuses = ["attempt", "succeeded", "failed"]

    func authorize(_ signer: KeyEntry, _ request: RequestEnvelope, views: ViewStore, in txn: borrowing Transaction) throws -> Authorization {
        .role(signer, in: [.frontend], for: request)
    }

    func decide(_ request: RequestEnvelope, context: AppendContext, views: ViewStore, in txn: borrowing Transaction) throws -> JSONValue {
        let text = try request.argument("effect", missing: "must supply an effect")
        guard let id = EffectID(text), let effect = try views.row(.effects, id.description, as: Effect.self, in: txn) else {
            // Completed effects leave the view with their removal; the log keeps their outcome.
            throw DomainError("no pending effect \(text) (unknown, or already completed)")
        }
        let status = try request.argument("status", missing: "must supply a status")
        guard Self.statuses.contains(status) else { throw DomainError("status must be one of \(Self.statuses.joined(separator: ", "))") }
        guard effect.status == .pending else {
            throw DomainError("effect \(id) already has its final outcome (\(effect.status.rawValue))")
        }
        return Outcome(effect: id, status: status, message: request.args["message"], console: request.args["console"]).json
    }

    func prepare(_ record: Record) throws -> Outcome { try FieldReader.read(record, Outcome.init) }

    func fold(_ outcome: Outcome, record: Record, into views: ViewStore, in txn: borrowing Transaction) throws {
        let id = outcome.effect
        guard var effect = try views.row(.effects, id.description, as: Effect.self, in: txn) else {
            throw DomainError("record \(record.sequence) records an outcome for effect \(id), which is not pending")
        }
        effect.record(outcome)
        try views.put(.effects, id.description, effect, in: txn)
        guard effect.status != .pending else { return }
        if effect.kind == .startVM, effect.status == .succeeded, let console = outcome.console,
           var power = try views.row(.power, effect.vm, as: VMPower.self, in: txn), power.sequence == id.sequence
        {
            power.console = console
            try views.put(.power, effect.vm, power, in: txn)
        }
        let removalKey = String(zeroPadded: id.sequence, width: 20)
        guard let removal = try views.row(.removals, removalKey, as: PendingRemoval.self, in: txn) else {
            // Starts and stops: the log keeps the outcome; the view keeps only what is pending.
            try views.delete(.effects, id.description, in: txn)
            return
        }
        let statuses = try removal.effects.map { try views.row(.effects, $0.description, as: Effect.self, in: txn)?.status }
        if statuses.allSatisfy({ $0 == .succeeded }) {
            // Done: the views keep what is pending or failed; the log keeps the history.
            try removal.release(views: views, in: txn)
            try views.delete(.removals, removalKey, in: txn)
            for done in removal.effects { try views.delete(.effects, done.description, in: txn) }
        }
    }

    func keysIntroduced(by record: Record) throws -> [PublicKey] { [] }

    func keysRevoked(by record: Record) throws -> [KeyID] { [] }

    /// What an executor reported: the effect, its status, what it said, and for a started
    /// VM, where its console is.
    struct Outcome: Sendable {
        let effect: EffectID
        let status: String
        let message: String?
        let console: String?

        var json: JSONValue {
            .object(JSONObject(omittingNilValues: [
                "effect": .string(effect.description), "status": .string(status), "message": message.map { .string($0) },
                "console": console.map { .string($0) },
            ]))
        }
    }
}

extension Effect {
    /// One more attempt, and its status when final (`attempt` leaves it pending), with what
    /// the executor said.
    mutating func record(_ outcome: RecordOutcomeOperation.Outcome) {
        attempts += 1
        if let final = Status(rawValue: outcome.status) { status = final }
        message = outcome.message ?? message
    }
}

extension RecordOutcomeOperation.Outcome {
    init(_ decision: FieldReader) throws {
        self.init(effect: try decision.string("effect", as: "an effect id", EffectID.init), status: try decision.string("status"), message: try decision.optionalString("message"),
                  console: try decision.optionalString("console"))
    }
}
