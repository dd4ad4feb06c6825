import Signing

/// The Airboss's answer to `POST /v1/requests`, canonical JSON.
///
/// An appended request (allowed or denied) is answered with its ``receipt`` and what came of
/// it; what the receipt proves (the record, its decision: a denial, the MACs listed, the
/// effects asked for) is read from the record, never from the answer. The answer adds what
/// the log does not hold: effects' outcomes and VMs' observed states.
///
/// A refused request (nothing appended) is answered `{"error":"<reason>"}` with a 4xx status.
public struct AirbossAnswer: Sendable, Equatable {
    /// One effect the request asked for, as far as it got before the answer.
    public struct Outcome: Sendable, Equatable {
        public let effect: String
        public let vm: String
        /// `succeeded`, `failed`, or `pending` (with `async=yes`, or when the wait ran out).
        public let status: String
        public let message: String?

        public init(effect: String, vm: String, status: String, message: String?) {
            self.effect = effect
            self.vm = vm
            self.status = status
            self.message = message
        }
    }

    /// The receipt's bytes: a tlog-proof file (``Receipt``).
    public let receipt: [UInt8]
    public let outcomes: [Outcome]
    /// Observed power (`on`, `off`, `paused`, `unknown`) by VM name, after the outcomes.
    public let states: [String: String]

    public init(receipt: [UInt8], outcomes: [Outcome] = [], states: [String: String] = [:]) {
        self.receipt = receipt
        self.outcomes = outcomes
        self.states = states
    }

    public var json: [UInt8] {
        CanonicalJSON.encode([
            "outcomes": .array(outcomes.map { outcome in
                .object(JSONObject(omittingNilValues: [
                    "effect": .string(outcome.effect), "message": outcome.message.map { .string($0) },
                    "status": .string(outcome.status), "vm": .string(outcome.vm),
                ]))
            }),
            "receipt": .string(String(decoding: receipt, as: UTF8.self)),
            "states": .object(JSONObject(states.mapValues { .string($0) })),
        ])
    }

    public init(json bytes: [UInt8]) throws(ReceiptError) {
        let malformed = ReceiptError("the Airboss's answer is malformed")
        guard let value = try? CanonicalJSON.decode(bytes, maximumDepth: 3), let object = value.objectValue,
              let receipt = object["receipt"]?.stringValue, let outcomes = object["outcomes"]?.arrayValue,
              let states = object["states"]?.objectValue
        else { throw malformed }
        var read: [Outcome] = []
        for outcome in outcomes {
            guard let effect = outcome["effect"]?.stringValue, let vm = outcome["vm"]?.stringValue,
                  let status = outcome["status"]?.stringValue
            else { throw malformed }
            read.append(Outcome(effect: effect, vm: vm, status: status, message: outcome["message"]?.stringValue))
        }
        var observed: [String: String] = [:]
        for (vm, state) in states {
            guard let state = state.stringValue else { throw malformed }
            observed[vm] = state
        }
        self.init(receipt: Array(receipt.utf8), outcomes: read, states: observed)
    }

    /// A refusal's body.
    public static func error(_ reason: String) -> [UInt8] { CanonicalJSON.encode(["error": .string(reason)]) }

    /// A refusal's reason, if `bytes` is one.
    public static func errorReason(_ bytes: [UInt8]) -> String? {
        (try? CanonicalJSON.decode(bytes, maximumDepth: 1))?["error"]?.stringValue
    }
}
