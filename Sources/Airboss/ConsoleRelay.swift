import Executors
import Foundation
import Hummingbird
import HummingbirdWebSocket
import Ledger
import Logging
import NIOCore
import NIOPosix
import Projections
import Signing

/// The console relay: `GET /v1/console/<grant>` with `Authorization: Bearer <token>` upgrades
/// to a WebSocket whose binary frames carry the VM's RFB stream both ways, as websockify and
/// noVNC speak it. Each connection is one session, noted in the ledger when it starts and when
/// it ends (bytes each way, how long, why it ended). Everything waits on NIO: an idle console
/// costs a few timers, and a slow side slows the other (backpressure both ways).
final class ConsoleRelay: @unchecked Sendable {
    /// A session ends when no byte has crossed either way for this long.
    static let idleLimit: Duration = .seconds(15 * 60)
    /// And after this long, whatever crosses.
    static let sessionLimit: Duration = .seconds(8 * 60 * 60)
    /// How often the idle limit is checked.
    static let idleCheck: Duration = .seconds(30)

    private let ledger: Ledger
    private let executor: Executor
    private let frontendKey: PrivateKey
    private let defaultURI: String?
    private let logger: Logger
    private let workers: NIOThreadPool

    init(ledger: Ledger, executor: Executor, frontendKey: PrivateKey, defaultURI: String?, logger: Logger, workers: NIOThreadPool) {
        self.ledger = ledger
        self.executor = executor
        self.frontendKey = frontendKey
        self.defaultURI = defaultURI
        self.logger = logger
        self.workers = workers
    }

    /// Why a connection may not open: an HTTP status and one line.
    struct Refusal: Error {
        let status: HTTPResponse.Status
        let reason: String
    }

    /// A grant that admits this connection, and where its VM is.
    struct Admission: Sendable {
        let grant: UInt64
        let vm: String
        let target: ObservationTarget
    }

    /// Checks the grant named in the path against the token presented, now.
    func admit(_ request: Request, grantText: String?) async throws(Refusal) -> Admission {
        guard let grantText, let grant = UInt64(grantText), grantText.allSatisfy(\.isNumber) else {
            throw Refusal(status: .notFound, reason: "a console is opened at /v1/console/<the grant's sequence number>")
        }
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer "),
              let token = Hex.decode(header.dropFirst("Bearer ".count)), token.count == 32
        else { throw Refusal(status: .unauthorized, reason: "a console needs Authorization: Bearer <the grant's token, 64 hex digits>") }
        let outcome: Result<Admission, Refusal>
        do {
            outcome = try await workers.runIfActive {
                try self.executor.withLedger { () throws -> Result<Admission, Refusal> in
                    let ledger = self.ledger
                    guard let record = try ledger.record(grant), record.op == ConsoleGrant.op else {
                        return .failure(Refusal(status: .notFound, reason: "record \(grant) is not a console grant"))
                    }
                    guard record.denial == nil else { return .failure(Refusal(status: .forbidden, reason: "record \(grant) is a denied request")) }
                    let granted = try ConsoleGrant(record: record)
                    // Compared in constant time: the token is a secret.
                    guard ConstantTime.equal(SHA256.hash(token), Hex.decode(granted.tokenSHA256) ?? []) else {
                        return .failure(Refusal(status: .unauthorized, reason: "the token is not this grant's"))
                    }
                    guard Timestamp.now() < granted.expires else {
                        return .failure(Refusal(status: .gone, reason: "grant \(grant) expired at \(granted.expires.rfc3339Seconds): ask for another"))
                    }
                    let reader = DomainReader(environment: ledger.environment)
                    return try ledger.read { txn in
                        guard let vm = try reader.vm(granted.vm, in: txn) else {
                            return .failure(Refusal(status: .gone, reason: "\(granted.vm) no longer exists"))
                        }
                        let target = try ObservationTarget.read([vm], reader: reader, defaultURI: self.defaultURI, in: txn)[0]
                        return .success(Admission(grant: grant, vm: vm.name, target: target))
                    }
                }
            }
        } catch {
            throw Refusal(status: .serviceUnavailable, reason: "cannot read grant \(grant): \(error)")
        }
        return try outcome.get()
    }

    /// Relays one viewer's connection to its VM's VNC server, until either side closes or a
    /// limit is reached, with the session's start and end on the record.
    func relay(_ admission: Admission, inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async {
        let started = ContinuousClock.now
        let endpoint: ConsoleEndpoint
        let vnc: NIOAsyncChannel<ByteBuffer, ByteBuffer>
        do {
            let target = admission.target
            endpoint = try await workers.runIfActive { try ConsoleEndpoint.find(vm: target.vm, uuid: target.uuid, uri: target.uri) }
            vnc = try await ConsoleStream.open(endpoint)
        } catch {
            logger.notice("airboss.console-unreachable", metadata: ["vm": "\(admission.vm)", "reason": "\(error)"])
            try? await outbound.close(.unexpectedServerError, reason: String("\(error)".prefix(120)))
            return
        }
        let start: UInt64
        do {
            start = try await note(admission, ["event": "start"])
        } catch {
            logger.error("airboss.console-unrecorded", metadata: ["vm": "\(admission.vm)", "reason": "\(error)"])
            try? await vnc.channel.close()
            try? await outbound.close(.unexpectedServerError, reason: "the session could not be recorded")
            return
        }
        logger.info("airboss.console", metadata: ["vm": "\(admission.vm)", "grant": "\(admission.grant)", "ledger.seq": "\(start)", "event": "start"])
        let counts = Counts()
        let reason: String
        do {
            reason = try await vnc.executeThenClose { fromVM, toVM in
                try await withThrowingTaskGroup(of: String.self) { group in
                    group.addTask {
                        for try await frame in inbound where frame.opcode != .text {
                            counts.add(toVM: frame.data.readableBytes)
                            try await toVM.write(frame.data)
                        }
                        return "the viewer closed"
                    }
                    group.addTask {
                        for try await buffer in fromVM {
                            counts.add(fromVM: buffer.readableBytes)
                            try await outbound.write(.binary(buffer))
                        }
                        return "the VM's console closed"
                    }
                    group.addTask {
                        while true {
                            try await Task.sleep(for: Self.idleCheck)
                            if ContinuousClock.now - started >= Self.sessionLimit { return "the session limit" }
                            if counts.idle >= Self.idleLimit { return "the idle limit" }
                        }
                    }
                    defer { group.cancelAll() }
                    return try await group.next() ?? "the relay ended"
                }
            }
        } catch {
            reason = Self.fitted("an error: \(error)")
        }
        try? await outbound.close(.normalClosure, reason: nil)
        let elapsed = ContinuousClock.now - started
        let milliseconds = elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000
        logger.info("airboss.console", metadata: [
            "vm": "\(admission.vm)", "grant": "\(admission.grant)", "session": "\(start)", "event": "end", "reason": "\(reason)",
            "bytes-to-vm": "\(counts.toVM)", "bytes-from-vm": "\(counts.fromVM)",
        ])
        _ = try? await note(admission, ["event": "end", "session": String(start), "bytes-to-vm": String(counts.toVM),
                                        "bytes-from-vm": String(counts.fromVM), "milliseconds": String(milliseconds), "reason": reason])
    }

    /// `reason` within the 200 bytes a session's end may give it.
    static func fitted(_ reason: String) -> String {
        var fitted = reason
        while fitted.utf8.count > 200 { fitted.removeLast() }
        return fitted
    }

    /// Appends a `record console session` signed by the frontend key; its sequence.
    private func note(_ admission: Admission, _ args: [String: String]) async throws -> UInt64 {
        let envelope = RequestEnvelope(op: ConsoleGrant.sessionOp, args: args.merging(["grant": String(admission.grant), "vm": admission.vm]) { $1 },
                                       signer: frontendKey.publicKey, ledger: ledger.id, now: .now())
        let request = try SignedRequest(signing: envelope, with: frontendKey)
        return try await workers.runIfActive { try self.executor.withLedger { try self.ledger.append(request).sequence } }
    }
}

/// Bytes each way and when the last crossed, from the two directions' tasks.
private final class Counts: @unchecked Sendable {
    private let lock = NSLock()
    private var last = ContinuousClock.now
    private var bytesToVM: UInt64 = 0
    private var bytesFromVM: UInt64 = 0

    func add(toVM count: Int) { lock.withLock { bytesToVM += UInt64(count); last = .now } }
    func add(fromVM count: Int) { lock.withLock { bytesFromVM += UInt64(count); last = .now } }
    var toVM: UInt64 { lock.withLock { bytesToVM } }
    var fromVM: UInt64 { lock.withLock { bytesFromVM } }
    var idle: Duration { lock.withLock { ContinuousClock.now - last } }
}
