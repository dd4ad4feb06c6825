/// How often an effect is tried before its final outcome is `failed`, and how long to wait
/// between tries. Attempts recorded before a crash count too, so a restarted executor does
/// not retry an effect for ever.
public struct RetryPolicy: Sendable {
    public var attempts: Int
    /// Seconds before the second try; each later wait doubles.
    public var firstDelay: Double

    public init(attempts: Int = 3, firstDelay: Double = 0.5) {
        self.attempts = max(1, attempts)
        self.firstDelay = firstDelay
    }

    /// Seconds to wait after failed try number `attempt` (1-based).
    func delay(after attempt: Int) -> Double { firstDelay * Double(1 << min(attempt - 1, 10)) }
}
