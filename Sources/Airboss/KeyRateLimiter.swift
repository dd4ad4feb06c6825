import Dispatch
import Foundation
import Signing

/// A token bucket per key: each key's genuine requests (their signatures already verified) may
/// come `burst` at once, then `rate` per second. A request over the limit is answered 429
/// and appends nothing. Buckets are only made for keys the ledger holds, so their number is
/// bounded by the ledger, not by what strangers send.
public final class KeyRateLimiter: @unchecked Sendable {
    public struct Limit: Sendable {
        /// Requests per second per key; 0 turns the limit off.
        public var rate: Double
        public var burst: Int

        public init(rate: Double, burst: Int) {
            self.rate = rate
            self.burst = burst
        }

        /// Enough for an owner powering a large virtual cluster one host at a time, and a
        /// `pilot` loop polling its MACs; too few for one key to starve the others.
        public static let `default` = Limit(rate: 20, burst: 40)
    }

    /// Why a request was refused, and when to try again.
    struct Refusal: Error, CustomStringConvertible {
        let limit: Limit
        /// Seconds until the key has a token again.
        let retryAfter: Double

        var description: String {
            "rate limit: a key may send \(limit.burst) requests at once, then \(Self.number(limit.rate)) per second; retry in \(Self.number(retryAfter)) s"
        }

        private static func number(_ value: Double) -> String {
            value == value.rounded() ? String(Int(value)) : String(format: "%.2f", value)
        }
    }

    private let limit: Limit
    private let lock = NSLock()
    private var buckets: [KeyID: (tokens: Double, updated: UInt64)] = [:]

    init(_ limit: Limit) {
        self.limit = limit
    }

    /// Takes a token from `key`'s bucket, or says how long until there is one.
    func take(_ key: KeyID, now: UInt64 = DispatchTime.now().uptimeNanoseconds) -> Refusal? {
        guard limit.rate > 0 else { return nil }
        lock.lock()
        defer { lock.unlock() }
        var bucket = buckets[key] ?? (Double(limit.burst), now)
        let refilled = Double(now &- bucket.updated) / 1e9 * limit.rate
        bucket = (min(Double(limit.burst), bucket.tokens + refilled), now)
        defer { buckets[key] = bucket }
        guard bucket.tokens >= 1 else {
            return Refusal(limit: limit, retryAfter: (1 - bucket.tokens) / limit.rate)
        }
        bucket.tokens -= 1
        return nil
    }
}
