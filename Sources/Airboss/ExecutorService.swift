import Executors
import Foundation
import Logging
import ServiceLifecycle

/// The executor as a service beside the Airboss (`executor=auto|yes`): it serves on a thread
/// of its own, holding the executor lock, until graceful shutdown, when it ends after the
/// round in progress.
struct ExecutorService: Service {
    let executor: Executor
    let mode: AirbossServer.ExecutorMode
    let logger: Logger

    func run() async throws {
        let lock: ExecutorLock?
        switch mode {
        case .no:
            lock = nil
        case .auto:
            lock = try executor.takeLock()
            if lock == nil { logger.notice("airboss.executor", metadata: ["result": "another executor holds the lock; effects are left to it"]) }
        case .yes:
            lock = try await Task.detached { try executor.waitForLock() }.value
        }
        guard let lock else {
            try? await gracefulShutdown()
            return
        }
        let stopping = StopFlag()
        try await withGracefulShutdownHandler {
            try await withCheckedThrowingContinuation { (done: CheckedContinuation<Void, Error>) in
                Thread {
                    do {
                        try executor.serve(interval: 0.2, lock: lock, until: stopping.isSet) { outcome in
                            logger.info("airboss.effect", metadata: ["effect": "\(outcome.effect.id)", "vm": "\(outcome.effect.vm)",
                                                                     "result": "\(outcome.succeeded ? "succeeded" : "failed")"])
                        }
                        done.resume()
                    } catch {
                        done.resume(throwing: error)
                    }
                }.start()
            }
        } onGracefulShutdown: {
            stopping.set()
        }
    }
}

/// Set once, read from another thread.
final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false

    func set() {
        lock.lock()
        value = true
        lock.unlock()
    }

    func isSet() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        return value
    }
}
