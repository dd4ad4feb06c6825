import CLibvirt
import Foundation

/// Follows libvirt's domain lifecycle events on a connection per container, so a VM stopped
/// or started behind the ledger's back is noticed as it happens, and notices when a
/// connection is lost (the events in between are gone: a gap) and when it is back.
///
/// Events arrive on libvirt's event thread and are queued; the executor's thread takes them.
final class LifecycleWatcher: @unchecked Sendable {
    /// A domain's new power state, as its container reported it.
    struct Event {
        let uri: String
        let uuid: String
        let observed: ObservedPower
    }

    /// What a callback needs: which connection it came from, and where to queue.
    private final class Subscription {
        let uri: String
        weak var watcher: LifecycleWatcher?

        init(uri: String, watcher: LifecycleWatcher) {
            self.uri = uri
            self.watcher = watcher
        }
    }

    private let lock = NSLock()
    private var events: [Event] = []
    private var lost: Set<String> = []
    /// Touched only by the thread that calls ``watch(_:)``.
    private var connections: [String: HypervisorConnection] = [:]
    private var subscriptions: [Subscription] = []
    private var retryAfter: [String: Date] = [:]
    let connectTimeout: Double
    /// Seconds between attempts to reach a container that did not answer.
    let retryInterval: Double

    init(connectTimeout: Double, retryInterval: Double = 5) {
        self.connectTimeout = connectTimeout
        self.retryInterval = retryInterval
    }

    /// Connects to (and watches) every URI not yet watched or lost. Returns the URIs whose
    /// connection was lost since the last call, and those watched again after a loss.
    func watch(_ uris: Set<String>) -> (lost: [String], regained: [String]) {
        let newlyLost = takeLost()
        for uri in newlyLost { connections[uri] = nil }
        var regained: [String] = []
        for uri in uris.sorted() where connections[uri] == nil {
            if let after = retryAfter[uri], after > Date() { continue }
            do {
                let connection = try HypervisorConnection(uri: uri, timeout: connectTimeout)
                let subscription = Subscription(uri: uri, watcher: self)
                subscriptions.append(subscription)
                let context = Unmanaged.passUnretained(subscription).toOpaque()
                try connection.watchClose(Self.closeHandler, context: context)
                try connection.watchLifecycle(Self.lifecycleHandler, context: context)
                if retryAfter[uri] != nil || newlyLost.contains(uri) { regained.append(uri) }
                connections[uri] = connection
                retryAfter[uri] = nil
            } catch {
                retryAfter[uri] = Date().addingTimeInterval(retryInterval)
            }
        }
        return (newlyLost.sorted(), regained)
    }

    /// The events queued since the last call, oldest first.
    func takeEvents() -> [Event] {
        lock.lock()
        defer { lock.unlock() }
        defer { events = [] }
        return events
    }

    private func takeLost() -> Set<String> {
        lock.lock()
        defer { lock.unlock() }
        defer { lost = [] }
        return lost
    }

    private func received(_ event: Event) {
        lock.lock()
        defer { lock.unlock() }
        events.append(event)
    }

    private func closed(_ uri: String) {
        lock.lock()
        defer { lock.unlock() }
        lost.insert(uri)
    }

    /// libvirt's lifecycle event numbers, as a power state; nil for definitions and
    /// transitions that settle in another event (a guest shutting down, then stopped).
    static func power(ofEvent event: Int32) -> ObservedPower? {
        switch UInt32(event) {
        case VIR_DOMAIN_EVENT_STARTED.rawValue, VIR_DOMAIN_EVENT_RESUMED.rawValue: .on
        case VIR_DOMAIN_EVENT_SUSPENDED.rawValue: .paused
        case VIR_DOMAIN_EVENT_STOPPED.rawValue, VIR_DOMAIN_EVENT_CRASHED.rawValue: .off
        default: nil
        }
    }

    private static let lifecycleHandler: rocks_lifecycle_handler = { context, uuid, event, _ in
        guard let context, let uuid, let observed = LifecycleWatcher.power(ofEvent: event) else { return }
        let subscription = Unmanaged<Subscription>.fromOpaque(context).takeUnretainedValue()
        subscription.watcher?.received(Event(uri: subscription.uri, uuid: String(cString: uuid), observed: observed))
    }

    private static let closeHandler: rocks_close_handler = { context, _ in
        guard let context else { return }
        let subscription = Unmanaged<Subscription>.fromOpaque(context).takeUnretainedValue()
        subscription.watcher?.closed(subscription.uri)
    }
}
