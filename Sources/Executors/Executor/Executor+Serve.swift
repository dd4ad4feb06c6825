import Foundation
import Ledger
import Projections

extension Executor {
    /// Runs as the ledger's executor until killed: holds the lock throughout, and looks for
    /// new effects every `interval` seconds. Between rounds it follows every container's
    /// domain lifecycle events and records what differs from the ledger as it happens
    /// (``EventObserver``), with a gap record while a container's events cannot be heard.
    public func serve(interval: Double, waitForLock: Bool = true, waiting: (String) -> Void = { _ in },
                      report: (Outcome) -> Void) throws -> Never
    {
        try serve(interval: interval, lock: ExecutorLock(path: lockPath, wait: waitForLock, waiting: waiting), until: { false }, report: report)
        fatalError("serving ends only when asked to")
    }

    /// Serves holding `lock` (see ``takeLock(waiting:)``) until `stopping` says so, between rounds.
    public func serve(interval: Double, lock: ExecutorLock, until stopping: () -> Bool, report: (Outcome) -> Void) throws {
        let events = EventObserver(watcher: LifecycleWatcher(connectTimeout: min(configuration.connectTimeout, 3)))
        while !stopping() {
            try withExtendedLifetime(lock) {
                try drain().forEach(report)
                do {
                    try events.round(self)
                } catch {
                    // A VM removed between reading and recording, say: the next round looks again.
                    logger.warning("observing events failed", metadata: ["reason": "\(error)"])
                }
            }
            Thread.sleep(forTimeInterval: interval)
        }
    }

    /// The executor lock, waiting for the executor that holds it to end.
    public func waitForLock() throws -> ExecutorLock {
        try ExecutorLock(path: lockPath, wait: true, waiting: { logger.notice("\($0)") })
    }

    /// The executor lock, if no other executor holds it.
    public func takeLock() throws -> ExecutorLock? {
        do {
            return try ExecutorLock(path: lockPath, wait: false, waiting: { _ in })
        } catch is ExecutorBusy {
            return nil
        }
    }

    /// The VMs to watch, with their containers' URIs and what the ledger wants of each.
    func watchedVMs() throws -> [(target: ObservationTarget, desired: String)] {
        let reader = DomainReader(environment: ledger.environment)
        return try withLedger {
            try ledger.read { txn in
                let vms = try reader.allVMs(in: txn).filter { try reader.host($0.name, in: txn)?.removal == nil }
                return try ObservationTarget.read(vms, reader: reader, defaultURI: configuration.defaultURI, in: txn).map { target in
                    (target, try reader.desiredPower(of: target.vm, in: txn).rawValue)
                }
            }
        }
    }
}
