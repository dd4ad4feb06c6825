import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import ServiceLifecycle

/// The metrics, in Prometheus's text format at `GET /metrics`, over plain HTTP on 127.0.0.1
/// only: they name no key and no VM, but they are the operator's, not the owners'.
enum MetricsServer {
    static func application(metrics: AirbossMetrics, port: Int, idleTimeout: TimeAmount, logger: Logger,
                            listening: @escaping @Sendable (Int) -> Void) -> some Service
    {
        let router = Router()
        router.get("/metrics") { _, _ -> Response in
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4"
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: metrics.exposition)))
        }
        return Application(
            router: router,
            server: .http1(configuration: .init(idleTimeout: idleTimeout, httpDecoderConfiguration: AirbossServer.headerLimits)),
            configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: port), serverName: "rocks-airboss-metrics",
                                                    availableConnectionsDelegate: MaximumAvailableConnections(16)),
            onServerRunning: { channel in listening(channel.localAddress?.port ?? port) },
            logger: logger)
    }
}

/// The ports bound, reported together once every server listens.
final class BoundPorts: @unchecked Sendable {
    private let lock = NSLock()
    private let expected: Int
    private let listening: @Sendable (Int, Int?) -> Void
    private var airbossPort: Int?
    private var metricsPort: Int?

    init(expected: Int, listening: @escaping @Sendable (Int, Int?) -> Void) {
        self.expected = expected
        self.listening = listening
    }

    func airboss(_ port: Int) { record { $0.airbossPort = port } }
    func metrics(_ port: Int) { record { $0.metricsPort = port } }

    private func record(_ change: (BoundPorts) -> Void) {
        lock.lock()
        change(self)
        let ready = airbossPort.map { port in (port, metricsPort, [port as Int?, metricsPort].compactMap { $0 }.count == expected) }
        lock.unlock()
        if let (port, metrics, complete) = ready, complete { listening(port, metrics) }
    }
}
