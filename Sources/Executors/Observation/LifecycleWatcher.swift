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
    /// Connections libvirt reported closed, for the next ``watch(_:)``.
    private var closed: Set<String> = []
    /// The rest is touched only by the thread that calls ``watch(_:)``.
    private var connections: [String: HypervisorConnection] = [:]
    /// URIs whose events cannot be heard now (a gap is open).
    private var unheard: Set<String> = []
    private var subscriptions: [Subscription] = []
    private var retryAfter: [String: Date] = [:]
    let connectTimeout: Double
    /// Seconds between attempts to reach a container that did not answer.
    let retryInterval: Double

    init(connectTimeout: Double, retryInterval: Double = 5) {
        self.connectTimeout = connectTimeout
        self.retryInterval = retryInterval
    }

    /// Connects to (and watches) every URI not watched yet, or not since its connection was
    /// lost. Returns the URIs that became unheard since the last call (a connection closed,
    /// or a first connection failed) and those heard again.
    func watch(_ uris: Set<String>) -> (lost: [String], regained: [String]) {
        var lost: [String] = []
        var regained: [String] = []
        for uri in takeClosed().sorted() {
            connections[uri] = nil
            if unheard.insert(uri).inserted { lost.append(uri) }
        }
        for uri in uris.sorted() where connections[uri] == nil {
            if let after = retryAfter[uri], after > Date() { continue }
            do {
                let connection = try HypervisorConnection(uri: uri, timeout: connectTimeout)
                let subscription = Subscription(uri: uri, watcher: self)
                subscriptions.append(subscription)
                let context = Unmanaged.passUnretained(subscription).toOpaque()
                try connection.watchClose(Self.closeHandler, context: context)
                try connection.watchLifecycle(Self.lifecycleHandler, context: context)
                connections[uri] = connection
                retryAfter[uri] = nil
                if unheard.remove(uri) != nil { regained.append(uri) }
            } catch {
                retryAfter[uri] = Date().addingTimeInterval(retryInterval)
                if unheard.insert(uri).inserted { lost.append(uri) }
            }
        }
        return (lost, regained)
    }

    /// The events queued since the last call, oldest first.
    func takeEvents() -> [Event] {
        lock.lock()
        defer { lock.unlock() }
        defer { events = [] }
        return events
    }

    private func takeClosed() -> Set<String> {
        lock.lock()
        defer { lock.unlock() }
        defer { closed = [] }
        return closed
    }

    private func received(_ event: Event) {
        lock.lock()
        defer { lock.unlock() }
        events.append(event)
    }

    private func connectionClosed(_ uri: String) {
        lock.lock()
        defer { lock.unlock() }
        closed.insert(uri)
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
        subscription.watcher?.connectionClosed(subscription.uri)
    }
}
