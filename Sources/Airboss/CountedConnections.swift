import HummingbirdCore

/// At most `maximum` connections at once, the rest waiting in the listen backlog; each change
/// in the number open is a metric.
struct CountedConnections: AvailableConnectionsDelegate {
    let maximum: Int
    let metrics: AirbossMetrics
    private var open = 0

    init(maximum: Int, metrics: AirbossMetrics) {
        self.maximum = maximum
        self.metrics = metrics
    }

    mutating func connectionOpened() {
        open += 1
        metrics.connections(open: open)
    }

    mutating func connectionClosed() {
        open -= 1
        metrics.connections(open: open)
    }

    func isAcceptingNewConnections() -> Bool { open < maximum }
}
