import AirbossAPI
import Executors
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Ledger
import Logging
import NIOCore
import NIOPosix
import NIOSSL
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

        public init(host: String, port: Int, keysDirectory: String) {
            self.host = host
            self.port = port
            self.keysDirectory = keysDirectory
        }
    }

    /// The largest request body read: a signed-request document.
    static let bodyLimit = SignedRequest.maximumDocumentByteCount
    /// Blocking work (receipts, waits for outcomes, libvirt reads) runs on these threads, never
    /// on the event loops; a request waiting for its outcome holds one. Appends are the group
    /// committer's (``GroupCommitter``).
    static let workerCount = 32

    /// Serves until SIGTERM or SIGINT, then stops accepting, finishes what is in flight and
    /// returns. `listening` hears the bound port once connections are accepted.
    public static func run(ledger: Ledger, frontendKey: PrivateKey, executor: Executor, configuration: Configuration,
                           logger: Logger, listening: @escaping @Sendable (Int) -> Void) async throws
    {
        let identity = try AirbossTLSIdentity.load(keys: configuration.keysDirectory, ledger: ledger.id, frontendKey: frontendKey, now: .now())
        var tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: [.certificate(try NIOSSLCertificate(bytes: Array(try identity.certificate.pem.utf8), format: .pem))],
            privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(identity.keyPEM.utf8), format: .pem)))
        tls.minimumTLSVersion = .tlsv13
        let workers = NIOThreadPool(numberOfThreads: workerCount)
        workers.start()
        let requests = OwnerRequests(ledger: ledger, executor: executor, logger: logger, defaultURI: configuration.defaultURI,
                                     outcomeTimeout: configuration.outcomeTimeout, workers: workers)
        let router = Router()
        router.get("/v1/ledger") { _, _ -> Response in
            do {
                return json(.ok, try await workers.runIfActive { try requests.identity() })
            } catch {
                return json(.serviceUnavailable, AirbossAnswer.error("\(error)"))
            }
        }
        router.post("/v1/requests") { request, _ -> Response in
            let body: ByteBuffer
            do {
                body = try await request.body.collect(upTo: bodyLimit)
            } catch is NIOTooManyBytesError {
                _ = requests.refusals.count("too-large")
                return json(.contentTooLarge, AirbossAnswer.error("a signed request is at most \(bodyLimit / 1024) KiB"))
            }
            let reply = await requests.handle(Array(body.readableBytesView))
            return json(HTTPResponse.Status(code: reply.status), reply.body)
        }
        let app = try Application(
            router: router,
            server: .tls(.http1(configuration: .init(idleTimeout: configuration.idleTimeout)), tlsConfiguration: tls),
            configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port), serverName: "rocks-airboss",
                                                    availableConnectionsDelegate: MaximumAvailableConnections(configuration.maximumConnections)),
            onServerRunning: { channel in listening(channel.localAddress?.port ?? configuration.port) },
            logger: logger)
        let executorService = ExecutorService(executor: executor, mode: configuration.executor, logger: logger)
        // Shutdown runs in reverse: the server stops accepting and finishes its requests
        // before the executor stops.
        var group = ServiceGroupConfiguration(services: [executorService, app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
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
