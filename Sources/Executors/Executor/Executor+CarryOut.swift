import Foundation
import Ledger
import Projections

extension Executor {
    /// Sees the effects record `sequence` asked for through to their final outcomes: runs
    /// what is pending itself when no other executor is running, else waits for the one that
    /// is (`waiting` hears which) and reads the outcomes it records. Gives up after
    /// `timeout` seconds, leaving the effects pending.
    /// With `runningPending` false it only waits for the executor that runs them.
    public func carryOut(record sequence: UInt64, timeout: Double = 600, runningPending: Bool = true,
                         waiting: (String) -> Void = { _ in }) throws -> [Outcome] {
        guard let record = try withLedger({ try ledger.record(sequence) }) else { throw ExecutorError("there is no record \(sequence)") }
        let requested = try Effect.requested(by: record)
        if requested.isEmpty { return [] }
        let deadline = Date().addingTimeInterval(timeout)
        var announced = false
        var outcomes: [Outcome] = []
        // Each poll reads only the records appended since the last one.
        var scanned = sequence
        while true {
            do {
                if runningPending {
                    let lock = try ExecutorLock(path: lockPath, wait: false, waiting: { _ in })
                    try withExtendedLifetime(lock) { _ = try drain() }
                }
            } catch let busy as ExecutorBusy {
                if !announced { waiting("\(busy); waiting for it to carry out record \(sequence)") }
                announced = true
            }
            outcomes += try finalOutcomes(of: requested, after: &scanned)
            if outcomes.count == requested.count { return outcomes }
            guard Date() < deadline else {
                throw ExecutorError("the effects of record \(sequence) are not done after \(Int(timeout)) s; they stay pending for 'rocks run executor'")
            }
            Thread.sleep(forTimeInterval: 0.2)
        }
    }

    /// The final outcomes for `effects` in the records after `scanned`, which moves to the
    /// last record read.
    private func finalOutcomes(of effects: [Effect], after scanned: inout UInt64) throws -> [Outcome] {
        let wanted = Dictionary(uniqueKeysWithValues: effects.map { ($0.id.description, $0) })
        var outcomes: [Outcome] = []
        var last = scanned
        try withLedger {
            try ledger.forEachRecord(from: scanned + 1) { record in
                last = record.sequence
                guard record.op == "record outcome", record.denial == nil else { return true }
                let args = try record.request.envelope.args
                guard let id = args["effect"], let effect = wanted[id], let status = args["status"], status != "attempt" else { return true }
                outcomes.append(Outcome(effect: effect, succeeded: status == "succeeded", message: args["message"],
                                        console: args["console"], sequence: record.sequence))
                return true
            }
        }
        scanned = last
        return outcomes
    }
}
