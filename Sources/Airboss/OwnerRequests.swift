import AirbossAPI
import Executors
import Foundation
import Ledger
import Logging
import NIOPosix
import Projections
import Signing

/// What the Airboss does with one owner's request, from the received document to the answer:
/// blocking work, run off the event loops.
///
/// Every request that passes its checks is appended, reads included; a denial is appended
/// too. Anything refused before that (a malformed document, an operator's op, an unknown key,
/// a bad signature, a replay, an expired request, one for another ledger, a malformed
/// target) appends nothing, is counted, and is answered with one line.
///
/// `@unchecked Sendable`: the ledger is used only through `executor.withLedger`, the
/// process's one lock over it, but for ``Ledger/verify(_:)``, which any thread may call.
package final class OwnerRequests: @unchecked Sendable {
    /// An HTTP status and a JSON body, with what the metrics count.
    package struct Reply: Sendable {
        package let status: Int
        package let body: [UInt8]
        /// The request's op, when it could be read.
        package var op: String?
        /// `allowed`, `denied`, or why the request was refused.
        package var result: String
        /// For a 429: seconds until the key may send again.
        package var retryAfter: Double?
    }

    let ledger: Ledger
    let executor: Executor
    let logger: Logger
    /// Replaces each container's default libvirt URI (`ROCKS_LIBVIRT_URI`), as for `rocks`.
    let defaultURI: String?
    /// How long a power request waits for its outcomes before answering them `pending`.
    let outcomeTimeout: Double
    let refusals = RefusalCounter()
    let metrics: AirbossMetrics
    let committer: GroupCommitter
    /// Blocking work (receipts, waits for outcomes, libvirt reads), off the event loops.
    let workers: NIOThreadPool

    /// `metrics`: a registry of their own when not given (the fuzz target's case).
    package init(ledger: Ledger, executor: Executor, logger: Logger, defaultURI: String?, outcomeTimeout: Double, rateLimit: KeyRateLimiter.Limit,
                 metrics: AirbossMetrics = AirbossMetrics(ops: OwnerScope.operations), workers: NIOThreadPool)
    {
        self.metrics = metrics
        self.committer = GroupCommitter(ledger: ledger, executor: executor, limiter: KeyRateLimiter(rateLimit), metrics: metrics, logger: logger)
        self.workers = workers
        self.ledger = ledger
        self.executor = executor
        self.logger = logger
        self.defaultURI = defaultURI
        self.outcomeTimeout = outcomeTimeout
    }

    /// `GET /v1/ledger`.
    func identity() throws -> [UInt8] {
        let checkpoint = try executor.withLedger { try ledger.latestCheckpoint() }
        guard case .note(let note, _) = checkpoint else { throw AirbossError("the ledger's newest checkpoint is not a signed note: run 'rocks ledger upgrade'") }
        return LedgerIdentity(ledger: ledger.id, frontendKey: ledger.genesis.frontendKey, checkpoint: note).json
    }

    /// `POST /v1/requests`.
    package func handle(_ document: [UInt8]) async -> Reply {
        let request: SignedRequest
        do {
            request = try SignedRequest(document: document)
        } catch {
            return refuse(400, "malformed", "malformed request: \(error.message)", request: nil)
        }
        let envelope = request.envelope
        guard OwnerScope.operations.contains(envelope.op) else {
            return refuse(400, "operator-op", "'\(envelope.op)' is not an owner's request: the Airboss takes \(OwnerScope.operations.sorted().joined(separator: ", ")); operators use rocks on the frontend", request: request)
        }
        let appended: Appended, receipt: [UInt8]
        do {
            // Verified here, on the thread that received it, so requests are verified on every
            // core at once while the committer appends the previous group.
            let verified = try ledger.verify([request])[0].get()
            (appended, receipt) = try await committer.append(verified).get()
        } catch let error as LedgerError {
            let (status, kind) = Self.refusal(error.code)
            if error.code == .badSignature { metrics.refusedSignature() }
            return refuse(status, kind, error.message, request: request)
        } catch let error as KeyRateLimiter.Refusal {
            var reply = refuse(429, "rate-limited", error.description, request: request)
            reply.retryAfter = error.retryAfter
            return reply
        } catch let error as DomainError {
            return refuse(400, "invalid", error.message, request: request)
        } catch {
            logger.error("airboss.append-failed", metadata: ["reason": "\(error)"])
            return Reply(status: 500, body: AirbossAnswer.error("the ledger could not append the request: \(error)"), op: envelope.op, result: "error")
        }
        do {
            let answer = try await workers.runIfActive { try self.answer(for: appended, receipt: receipt, request: request) }
            log(request, result: appended.denial.map { "denied: \($0)" } ?? "allowed", sequence: appended.sequence)
            return Reply(status: appended.denial == nil ? 200 : 403, body: answer.json, op: envelope.op, result: appended.denial == nil ? "allowed" : "denied")
        } catch {
            logger.error("airboss.answer-failed", metadata: ["ledger.seq": "\(appended.sequence)", "reason": "\(error)"])
            return Reply(status: 500, body: AirbossAnswer.error("record \(appended.sequence) was appended, but its answer failed: \(error)"), op: envelope.op,
                         result: "error")
        }
    }

    /// The status and the counter of a refusal by the ledger.
    private static func refusal(_ code: LedgerError.Code) -> (Int, String) {
        switch code {
        case .replayedNonce: (409, "replayed")
        case .unknownKey, .badSignature, .keyNotInForce: (401, "unauthenticated")
        case .expired: (401, "expired")
        case .wrongLedger: (401, "wrong-ledger")
        case .tooLarge: (413, "too-large")
        default: (503, "ledger")
        }
    }

    func refuse(_ status: Int, _ kind: String, _ reason: String, request: SignedRequest?) -> Reply {
        let count = refusals.count(kind)
        logger.notice("airboss.refused", metadata: [
            "key": "\(request?.envelope.key.short ?? "-")", "op": "\(request?.envelope.op ?? "-")", "target": "\(target(of: request))",
            "result": "refused (\(kind), \(count) so far): \(reason)",
        ])
        return Reply(status: status, body: AirbossAnswer.error(reason), op: request?.envelope.op, result: kind)
    }

    private func log(_ request: SignedRequest, result: String, sequence: UInt64) {
        logger.info("airboss.request", metadata: [
            "key": "\(request.envelope.key.short)", "op": "\(request.envelope.op)", "target": "\(target(of: request))",
            "result": "\(result)", "ledger.seq": "\(sequence)",
        ])
    }

    private func target(of request: SignedRequest?) -> String {
        guard let args = request?.envelope.args else { return "-" }
        return MessageText.quote(args["hosts"] ?? args["host"] ?? "-")
    }

    // MARK: Answers

    /// The answer to an appended request, with the receipt of its group.
    private func answer(for appended: Appended, receipt: [UInt8], request: SignedRequest) throws -> AirbossAnswer {
        if appended.denial != nil { return AirbossAnswer(receipt: receipt) }
        let args = request.envelope.args
        switch request.envelope.op {
        case OwnerScope.openConsole:
            // The grant is the record; the token stays with the client.
            return AirbossAnswer(receipt: receipt)
        case OwnerScope.listMACs:
            let states = args["status"] == "yes" ? try observe(OwnerScope.listedVMs(in: appended.record)) : [:]
            return AirbossAnswer(receipt: receipt, states: states)
        default:
            let outcomes = try outcomes(of: appended.record, waiting: args["async"] != "yes")
            let states = args["async"] == "yes" ? [:] : try observe(Array(Set(outcomes.map(\.vm))))
            return AirbossAnswer(receipt: receipt, outcomes: outcomes, states: states)
        }
    }

    /// The effects record `sequence` asked for, each with its final outcome when `waiting`
    /// and it came within ``outcomeTimeout``, else `pending`. The Airboss never runs effects
    /// in a request: the executor does (its own service, or another process's).
    private func outcomes(of record: Record, waiting: Bool) throws -> [AirbossAnswer.Outcome] {
        let sequence = record.sequence
        let requested = try Effect.requested(by: record)
        var done: [String: Executor.Outcome] = [:]
        if waiting {
            do {
                for outcome in try executor.carryOut(record: sequence, timeout: outcomeTimeout, runningPending: false) {
                    done[outcome.effect.id.description] = outcome
                }
            } catch let error as ExecutorError {
                logger.warning("airboss.outcomes-late", metadata: ["ledger.seq": "\(sequence)", "reason": "\(error)"])
            }
        }
        return requested.map { effect in
            let outcome = done[effect.id.description]
            return AirbossAnswer.Outcome(effect: effect.id.description, vm: effect.vm,
                                         status: outcome.map { $0.succeeded ? "succeeded" : "failed" } ?? "pending", message: outcome?.message)
        }
    }

    /// What each VM's container says it is doing, within five seconds; a silent container
    /// makes its VMs `unknown`.
    private func observe(_ names: [String]) throws -> [String: String] {
        let reader = DomainReader(environment: ledger.environment)
        let targets = try executor.withLedger {
            try ledger.read { txn in
                let vms = try names.compactMap { try reader.vm($0, in: txn) }
                return try ObservationTarget.read(vms, reader: reader, defaultURI: defaultURI, in: txn)
            }
        }
        var states: [String: String] = [:]
        let observed = StateObserver(deadline: 5).observe(targets)
        for name in names { states[name] = (observed[name] ?? .unknown).rawValue }
        return states
    }
}

/// Refusals by kind, counted since the start.
final class RefusalCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var counts: [String: Int] = [:]

    /// Counts one more `kind` and returns the new count.
    func count(_ kind: String) -> Int {
        lock.lock()
        defer { lock.unlock() }
        counts[kind, default: 0] += 1
        return counts[kind]!
    }

    var all: [String: Int] {
        lock.lock()
        defer { lock.unlock() }
        return counts
    }
}
