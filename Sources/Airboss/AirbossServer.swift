import AirbossAPI
import Executors
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import HummingbirdWebSocket
import Ledger
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import Projections
import ServiceLifecycle
import Signing
import UnixSignals

/// The Airboss: owners' signed requests over TLS, appended to the ledger and carried out by
/// the executor, each answered with a receipt. One process per ledger, with a pid file.
public enum AirbossServer {
    public enum ExecutorMode: String, Sendable {
        /// Run the executor in this process unless another one holds the executor lock.
        case auto
        /// Run it here, waiting for the lock if another holds it.
        case yes
        /// Leave effects to `rocks run executor` elsewhere.
        case no
    }

    public struct Configuration: Sendable {
        public var host: String
        public var port: Int
        public var executor: ExecutorMode = .auto
        /// `$ROCKS_HOME/keys`, where the TLS key and certificate are kept.
        public var keysDirectory: String
        /// Each container's libvirt URI instead of `qemu+ssh://<container>/system`.
        public var defaultURI: String?
        /// How long a power request waits for its outcomes before answering them `pending`.
        public var outcomeTimeout: Double = 90
        /// A connection that sends nothing (no TLS handshake, no request) for this long is closed.
        public var idleTimeout: TimeAmount = .seconds(30)
        /// Connections served at once; more wait in the listen backlog.
        public var maximumConnections = 256
        /// Each key's token bucket.
        public var rateLimit = KeyRateLimiter.Limit.default
        /// The loopback port of the Prometheus metrics (`GET /metrics`, plain HTTP); none
        /// when nil, any free port when 0.
        public var metricsPort: Int?

        public init(host: String, port: Int, keysDirectory: String) {
            self.host = host
            self.port = port
            self.keysDirectory = keysDirectory
        }
    }

    /// The largest request body read: a signed-request document.
    static let bodyLimit = SignedRequest.maximumDocumentByteCount
    /// The largest WebSocket frame a viewer may send: RFB's client messages are small; a
    /// clipboard paste is the largest.
    static let consoleFrameLimit = 1 << 20
    /// The request line and headers a client of this API needs, with room to spare; a larger
    /// header is refused before anything reads its body.
    static let headerLimits = HTTP1Channel.Configuration.DecoderConfiguration(
        maxHeaderFieldSize: 4 * 1024, maxHeaderListSize: 16 * 1024, maxHeaderFieldCount: 64)
    /// Blocking work (receipts, waits for outcomes, libvirt reads) runs on these threads, never
    /// on the event loops; a request waiting for its outcome holds one. Appends are the group
    /// committer's (``GroupCommitter``).
    static let workerCount = 32

    /// Serves until SIGTERM or SIGINT, then stops accepting, finishes what is in flight and
    /// returns. `listening` hears the bound ports (the Airboss's, and the metrics' when asked
    /// for) once both accept connections.
    public static func run(ledger: Ledger, frontendKey: PrivateKey, executor: Executor, configuration: Configuration,
                           logger: Logger, listening: @escaping @Sendable (_ port: Int, _ metricsPort: Int?) -> Void) async throws
    {
        let identity = try AirbossTLSIdentity.load(keys: configuration.keysDirectory, ledger: ledger.id, frontendKey: frontendKey, now: .now())
        var tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: [.certificate(try NIOSSLCertificate(bytes: Array(try identity.certificate.pem.utf8), format: .pem))],
            privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(identity.keyPEM.utf8), format: .pem)))
        tls.minimumTLSVersion = .tlsv13
        let workers = NIOThreadPool(numberOfThreads: workerCount)
        workers.start()
        let metrics = AirbossMetrics(ops: OwnerScope.operations)
        let requests = OwnerRequests(ledger: ledger, executor: executor, logger: logger, defaultURI: configuration.defaultURI,
                                     outcomeTimeout: configuration.outcomeTimeout, rateLimit: configuration.rateLimit, metrics: metrics, workers: workers)
        let router = Router()
        router.get("/v1/ledger") { _, _ -> Response in
            do {
                return json(.ok, try await workers.runIfActive { try requests.identity() })
            } catch {
                return json(.serviceUnavailable, AirbossAnswer.error("\(error)"))
            }
        }
        router.post("/v1/requests") { request, _ -> Response in
            let started = ContinuousClock.now
            let reply: OwnerRequests.Reply
            do {
                let body = try await request.body.collect(upTo: bodyLimit)
                reply = await requests.handle(Array(body.readableBytesView))
            } catch is NIOTooManyBytesError {
                reply = requests.refuse(413, "too-large", "a signed request is at most \(bodyLimit / 1024) KiB", request: nil)
            }
            metrics.request(op: reply.op, result: reply.result, duration: ContinuousClock.now - started)
            var response = json(HTTPResponse.Status(code: reply.status), reply.body)
            if let wait = reply.retryAfter { response.headers[.retryAfter] = String(Int(wait.rounded(.up))) }
            return response
        }
        // Consoles: a WebSocket upgrade when the grant admits the connection; otherwise the
        // same path answers with why not.
        let consoles = ConsoleRelay(ledger: ledger, executor: executor, frontendKey: frontendKey, defaultURI: configuration.defaultURI,
                                    logger: logger, workers: workers)
        let webSockets = Router(context: BasicWebSocketRequestContext.self)
        webSockets.ws("/v1/console/{grant}") { request, context in
            do {
                _ = try await consoles.admit(request, grantText: context.parameters.get("grant"))
                return .upgrade([:])
            } catch {
                return .dontUpgrade
            }
        } onUpgrade: { inbound, outbound, context in
            do throws(ConsoleRelay.Refusal) {
                let admission = try await consoles.admit(context.request, grantText: context.requestContext.parameters.get("grant"))
                await consoles.relay(admission, inbound: inbound, outbound: outbound)
            } catch {
                // Admitted a moment ago; the grant expired in between.
                logger.notice("airboss.console-refused", metadata: ["reason": "\(error.reason)"])
            }
        }
        router.get("/v1/console/{grant}") { request, context -> Response in
            do throws(ConsoleRelay.Refusal) {
                _ = try await consoles.admit(request, grantText: context.parameters.get("grant"))
                return json(.badRequest, AirbossAnswer.error("a console opens with a WebSocket upgrade (Connection: Upgrade, Upgrade: websocket)"))
            } catch {
                return json(error.status, AirbossAnswer.error(error.reason))
            }
        }
        let webSocketResponder = webSockets.buildResponder(), serverTLS = tls
        let bound = BoundPorts(expected: configuration.metricsPort == nil ? 1 : 2, listening: listening)
        let http = HTTP1Channel.Configuration(idleTimeout: configuration.idleTimeout, httpDecoderConfiguration: headerLimits)
        let app = Application(
            router: router,
            server: HTTPServerBuilder { responder in
                try TLSChannel(
                    FirstRequestDeadline(
                        base: HTTP1WebSocketUpgradeChannel(responder: responder, webSocketResponder: webSocketResponder,
                                                           configuration: .init(http1: http, ws: .init(maxFrameSize: consoleFrameLimit))),
                        timeout: configuration.idleTimeout, limits: headerLimits),
                    tlsConfiguration: serverTLS)
            },
            configuration: ApplicationConfiguration(
                address: .hostname(configuration.host, port: configuration.port), serverName: "rocks-airboss",
                availableConnectionsDelegate: CountedConnections(maximum: configuration.maximumConnections, metrics: metrics)),
            onServerRunning: { channel in bound.airboss(channel.localAddress?.port ?? configuration.port) },
            logger: logger)
        var services: [any Service] = [ExecutorService(executor: executor, mode: configuration.executor, logger: logger)]
        if let metricsPort = configuration.metricsPort {
            services.append(MetricsServer.application(metrics: metrics, port: metricsPort, idleTimeout: configuration.idleTimeout,
                                                      logger: logger) { bound.metrics($0) })
        }
        services.append(app)
        // Shutdown runs in reverse: the server stops accepting and finishes its requests
        // before the metrics and the executor stop.
        var group = ServiceGroupConfiguration(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        group.maximumGracefulShutdownDuration = .seconds(Int64(configuration.outcomeTimeout) + 30)
        do {
            try await ServiceGroup(configuration: group).run()
        } catch {
            try? await workers.shutdownGracefully()
            throw error
        }
        try? await workers.shutdownGracefully()
        let groups = requests.committer.sizes
        logger.info("airboss.stopped", metadata: ["refused": "\(requests.refusals.all)", "commits": "\(groups.count)",
                                                   "requests": "\(groups.reduce(0, +))", "largest-group": "\(groups.max() ?? 0)"])
    }

    private static func json(_ status: HTTPResponse.Status, _ body: [UInt8]) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }
}
