import Foundation
import Ledger
import Logging
import Projections
import Signing

/// Runs pending effects in the order records asked for them, and appends each one's
/// attempts and single final outcome, signed by the frontend key.
///
/// Only one executor runs per ledger (``ExecutorLock``). After a `kill -9` at any point the
/// next run finds the effect still pending and does it again; every effect is idempotent,
/// and the ledger refuses a second final outcome, so the end state and the record of it are
/// as if nothing had happened. Rebuilding the views never runs anything: only this does.
///
/// `@unchecked Sendable`: the lanes that run containers in parallel share the ledger only
/// through ``withLedger(_:)``, and everything else they touch is immutable.
public final class Executor: @unchecked Sendable {
    public struct Configuration: Sendable {
        /// Replaces the default `qemu+ssh://<container>/system` (``LibvirtURI``).
        public var defaultURI: String?
        /// Seconds to wait for a container's libvirt daemon to accept a connection.
        public var connectTimeout: Double = 10
        public var retry = RetryPolicy()

        public init(defaultURI: String? = nil) {
            self.defaultURI = defaultURI
        }
    }

    /// What became of one effect in this run.
    public struct Outcome: Sendable {
        public let effect: Effect
        public let succeeded: Bool
        public let message: String?
        public let console: String?
        /// The record holding the final outcome.
        public let sequence: UInt64
    }

    let ledger: Ledger
    private let frontendKey: PrivateKey
    let configuration: Configuration
    let lockPath: String
    let logger: Logger
    private let clock: @Sendable () -> Timestamp
    private let ledgerLock = NSLock()

    public init(ledger: Ledger, frontendKey: PrivateKey, lockPath: String, configuration: Configuration,
                logger: Logger, clock: @escaping @Sendable () -> Timestamp = { .now() })
    {
        self.ledger = ledger
        self.frontendKey = frontendKey
        self.lockPath = lockPath
        self.configuration = configuration
        self.logger = logger
        self.clock = clock
    }

    /// Runs every pending effect, including any appended while it runs, and returns what
    /// became of each. When another executor holds the lock, waits for it (`waiting` hears
    /// who it is), or with `waitForLock` false refuses, naming it.
    public func runPending(waitForLock: Bool = true, waiting: (String) -> Void = { _ in }) throws -> [Outcome] {
        let lock = try ExecutorLock(path: lockPath, wait: waitForLock, waiting: waiting)
        defer { withExtendedLifetime(lock) {} }
        return try drain()
    }

    /// Runs what is pending until nothing is: in order per container, containers in parallel
    /// (a slow or dead container holds up only its own VMs).
    func drain() throws -> [Outcome] {
        var outcomes: [Outcome] = []
        while true {
            let reader = DomainReader(environment: ledger.environment)
            // Lanes follow where each VM is now, so all of one VM's effects share a lane
            // even after `set host vm physnode=` moved it.
            let pending = try withLedger {
                try ledger.read { txn in
                    try reader.effects(in: txn).filter { $0.status == .pending }.map { effect in
                        (effect, try reader.vm(effect.vm, in: txn)?.container ?? effect.container)
                    }
                }
            }
            if pending.isEmpty { return outcomes }
            var lanes: [[Effect]] = []
            var laneOfContainer: [String: Int] = [:]
            for (effect, container) in pending {
                if let lane = laneOfContainer[container] {
                    lanes[lane].append(effect)
                } else {
                    laneOfContainer[container] = lanes.count
                    lanes.append([effect])
                }
            }
            outcomes += try runInParallel(lanes).sorted { $0.sequence < $1.sequence }
        }
    }

    private func runInParallel(_ lanes: [[Effect]]) throws -> [Outcome] {
        if lanes.count == 1 { return try runLane(lanes[0]) }
        let results = LaneResults()
        let group = DispatchGroup()
        for lane in lanes {
            group.enter()
            Thread { [self] in
                defer { group.leave() }
                do { results.add(try runLane(lane)) } catch { results.fail(error) }
            }.start()
        }
        group.wait()
        return try results.outcomes()
    }

    /// One container's effects, in order, over connections of its own.
    private func runLane(_ effects: [Effect]) throws -> [Outcome] {
        var connections: [String: HypervisorConnection] = [:]
        var outcomes: [Outcome] = []
        for effect in effects { outcomes.append(try run(effect, connections: &connections)) }
        return outcomes
    }

    private func run(_ effect: Effect, connections: inout [String: HypervisorConnection]) throws -> Outcome {
        try waitForItsTime(effect)
        var attempt = Int(effect.attempts)
        while true {
            attempt += 1
            let result: EffectPerformer.Result
            do {
                result = try perform(effect, connections: &connections)
            } catch {
                let message = "\(effect.kind.rawValue) \(effect.vm) on \(effect.container): \(error)"
                guard attempt < configuration.retry.attempts else {
                    let sequence = try record(effect, "failed", message: message)
                    logger.warning("effect failed", metadata: ["effect": "\(effect.id)", "reason": "\(message)"])
                    return Outcome(effect: effect, succeeded: false, message: message, console: nil, sequence: sequence)
                }
                try record(effect, "attempt", message: message)
                connections = [:]
                Thread.sleep(forTimeInterval: configuration.retry.delay(after: attempt))
                continue
            }
            // Outside the retries: the work is done, and a ledger that refuses to record it is
            // the executor's error, not the effect's.
            let sequence = try record(effect, "succeeded", message: result.message, console: result.console)
            logger.debug("effect done", metadata: ["effect": "\(effect.id)", "kind": "\(effect.kind.rawValue)", "vm": "\(effect.vm)"])
            return Outcome(effect: effect, succeeded: true, message: result.message, console: result.console, sequence: sequence)
        }
    }

    /// A start spaced by `set cluster power … delay=` waits until its time, counted from the
    /// asking record's append time, so a restarted executor keeps the same spacing.
    private func waitForItsTime(_ effect: Effect) throws {
        guard let after = effect.startAfter, after > 0,
              let asked = try withLedger({ try ledger.record(effect.id.sequence) })?.appended else { return }
        let due = asked.nanoseconds + after * 1_000_000
        let wait = Double(due - clock().nanoseconds) / 1e9
        if wait > 0 { Thread.sleep(forTimeInterval: min(wait, 300)) }
    }

    private func perform(_ effect: Effect, connections: inout [String: HypervisorConnection]) throws -> EffectPerformer.Result {
        let reader = DomainReader(environment: ledger.environment)
        let work = try withLedger {
            try ledger.read { txn in try EffectWork.read(effect, reader: reader, uriOverride: configuration.defaultURI, in: txn) }
        }
        let connection: HypervisorConnection
        if let open = connections[work.uri], open.isAlive {
            connection = open
        } else {
            connection = try HypervisorConnection(uri: work.uri, timeout: configuration.connectTimeout)
            connections[work.uri] = connection
        }
        return try EffectPerformer().perform(work, on: connection)
    }

    /// The ledger is one object the lanes share, and whoever else in the process uses it (the
    /// Airboss's appends and answers): one of them uses it at a time.
    public func withLedger<T>(_ body: () throws -> T) throws -> T {
        ledgerLock.lock()
        defer { ledgerLock.unlock() }
        return try body()
    }

    /// The domain XML `start` would define for `vm`, asking its container whether it offers KVM.
    /// The domain `start` would define for `vm`, and, when its container does not answer,
    /// what of it is guessed: everything comes from the views but the domain type, which the
    /// container's capabilities decide (`kvm` is assumed, as on every KVM container).
    public static func definition(of vm: String, ledger: Ledger, configuration: Configuration) throws -> (DomainDefinition, guessed: String?) {
        let reader = DomainReader(environment: ledger.environment)
        let facts = try ledger.read { txn in
            guard let host = try reader.hosts([vm], in: txn).first else { throw ExecutorError("cannot resolve host \"\(vm)\"") }
            return try EffectWork.StartFacts.read(host.name, reader: reader, uriOverride: configuration.defaultURI, in: txn)
        }
        guard let facts else { throw ExecutorError("\(vm) is being removed") }
        let connection: HypervisorConnection
        do {
            connection = try HypervisorConnection(uri: facts.uri, timeout: configuration.connectTimeout)
        } catch {
            let guessed = "\(facts.host.name)'s container \(facts.vm.container) did not answer at \(facts.uri) (\(error.message)): the domain type 'kvm' is assumed; the rest comes from the ledger"
            return (try facts.definition(type: "kvm"), guessed)
        }
        return (try facts.definition(on: connection), nil)
    }

    /// Appends a request signed by the frontend key: what the frontend itself saw.
    @discardableResult
    func recordAsFrontend(_ op: String, _ args: [String: String]) throws -> UInt64 {
        let envelope = RequestEnvelope(op: op, args: args, signer: frontendKey.publicKey, ledger: ledger.id, now: clock())
        let request = try SignedRequest(signing: envelope, with: frontendKey)
        let appended = try withLedger { try ledger.append(request) }
        if let denial = appended.denial { throw ExecutorError("the ledger refused \(op): \(denial)") }
        return appended.sequence
    }

    @discardableResult
    private func record(_ effect: Effect, _ status: String, message: String? = nil, console: String? = nil) throws -> UInt64 {
        var args = ["effect": effect.id.description, "status": status]
        if let message { args["message"] = String(message.prefix(2000)) }
        if let console { args["console"] = console }
        return try recordAsFrontend("record outcome", args)
    }
}

/// What the lanes of one round produced, gathered under a lock.
private final class LaneResults: @unchecked Sendable {
    private let lock = NSLock()
    private var gathered: [Executor.Outcome] = []
    private var error: (any Error)?

    func add(_ outcomes: [Executor.Outcome]) {
        lock.lock()
        defer { lock.unlock() }
        gathered += outcomes
    }

    func fail(_ error: any Error) {
        lock.lock()
        defer { lock.unlock() }
        self.error = self.error ?? error
    }

    /// Every lane's outcomes, or the first error a lane threw.
    func outcomes() throws -> [Executor.Outcome] {
        lock.lock()
        defer { lock.unlock() }
        if let error { throw error }
        return gathered
    }
}
