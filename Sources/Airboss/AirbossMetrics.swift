import CoreMetrics
import Prometheus
import Signing

/// What the Airboss counts, through swift-metrics into a Prometheus registry of its own,
/// served on the `metrics=` loopback port in Prometheus's text format.
///
/// Labels come only from fixed sets (the owners' ops, the results below), never from what a
/// client sent, so no client can grow the registry.
package final class AirbossMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private let factory: PrometheusMetricsFactory
    private let groupSizes: Recorder
    private let refusedSignatures: CoreMetrics.Counter
    private let openConnections: CoreMetrics.Gauge
    private let ops: Set<String>

    package init(ops: Set<String>) {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets["airboss_request_duration_seconds"] = [
            .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(20), .milliseconds(50),
            .milliseconds(100), .milliseconds(200), .milliseconds(500), .seconds(1), .seconds(5), .seconds(30), .seconds(120),
        ]
        factory.valueHistogramBuckets["airboss_group_size"] = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024]
        self.factory = factory
        self.ops = ops.union(["other"])
        groupSizes = Recorder(label: "airboss_group_size", dimensions: [], aggregate: true, factory: factory)
        refusedSignatures = CoreMetrics.Counter(label: "airboss_refused_signatures_total", dimensions: [], factory: factory)
        openConnections = CoreMetrics.Gauge(label: "airboss_open_connections", dimensions: [], factory: factory)
    }

    /// One request answered: its op (or `other`), its result (`allowed`, `denied`, or why it
    /// was refused), and how long it took from its body's arrival to its answer.
    func request(op: String?, result: String, duration: Duration) {
        let op = op.flatMap { ops.contains($0) ? $0 : nil } ?? "other"
        CoreMetrics.Counter(label: "airboss_requests_total", dimensions: [("op", op), ("result", result)], factory: factory).increment()
        CoreMetrics.Timer(label: "airboss_request_duration_seconds", dimensions: [("op", op)], factory: factory).recordNanoseconds(
            duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
    }

    func group(size: Int) { groupSizes.record(size) }

    func refusedSignature() { refusedSignatures.increment() }

    func connections(open: Int) { openConnections.record(open) }

    /// The registry in Prometheus's text exposition format.
    var exposition: [UInt8] {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return buffer
    }
}
