import Foundation

/// What the serving executor does with lifecycle events between rounds: a VM whose reported
/// state differs from what the ledger wants gets a `record observation`; a container whose
/// connection dropped gets `record observation gap state=began`, and when it is back, `ended`
/// and a fresh look at its VMs, since events in the gap were missed. Events only ever
/// produce observations: repairs stay the operator's (`sync host vm repair=yes`).
final class EventObserver {
    let watcher: LifecycleWatcher
    /// The VMs as of the ledger head they were read at: the views change only when the log
    /// grows, so a quiet round does not read every VM again.
    private var watched: (head: UInt64, vms: [(target: ObservationTarget, desired: String)])?

    init(watcher: LifecycleWatcher) {
        self.watcher = watcher
    }

    func round(_ executor: Executor) throws {
        let head = try executor.withLedger { try executor.ledger.head().sequence }
        if watched?.head != head { watched = (head, try executor.watchedVMs()) }
        let watched = self.watched?.vms ?? []
        let (lost, regained) = watcher.watch(Set(watched.map(\.target.uri)))
        for uri in lost {
            for container in Set(watched.filter { $0.target.uri == uri }.map(\.target.container)).sorted() {
                try executor.recordAsFrontend("record observation gap", ["container": container, "state": "began"])
            }
        }
        var differences: [(vm: String, observed: ObservedPower)] = []
        for uri in regained {
            let targets = watched.filter { $0.target.uri == uri }
            for container in Set(targets.map(\.target.container)).sorted() {
                try executor.recordAsFrontend("record observation gap", ["container": container, "state": "ended"])
            }
            let observed = StateObserver(deadline: watcher.connectTimeout).observe(targets.map(\.target))
            for (target, desired) in targets {
                if let state = observed[target.vm], state != .unknown, state.rawValue != desired { differences.append((target.vm, state)) }
            }
        }
        let byUUID = Dictionary(watched.map { ($0.target.uri + " " + $0.target.uuid, $0) }, uniquingKeysWith: { first, _ in first })
        for event in watcher.takeEvents() {
            guard let (target, desired) = byUUID[event.uri + " " + event.uuid], event.observed.rawValue != desired else { continue }
            differences.append((target.vm, event.observed))
        }
        for (vm, observed) in differences {
            try executor.recordAsFrontend("record observation", ["vm": vm, "observed": observed.rawValue])
        }
    }
}
