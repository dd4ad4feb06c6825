import Ledger
import Synchronization

/// The views' database handles, by ``View``, for the environment a store was last made for:
/// every record's fold makes a ``ViewStore``, and its reads and writes then index an array
/// rather than hash the view's name each time.
package final class ViewDatabases: Sendable {
    private static let last = Mutex<ViewDatabases?>(nil)

    /// The environment's serial, not a reference to it: a weak reference would send every
    /// retain and release of the environment through a side table, and a strong one would
    /// keep it open.
    private let environment: UInt64
    /// By ``View/position``; nil for a view an environment opened read-only lacks.
    private let handles: [Database?]

    private init(_ environment: LMDBEnvironment) {
        self.environment = environment.serial
        handles = View.allCases.map { environment.databases[$0.rawValue] }
    }

    /// The table for `environment`: the one made last, or a new one.
    package static func of(_ environment: LMDBEnvironment) -> ViewDatabases {
        if let kept = last.withLock({ $0 }), kept.environment == environment.serial { return kept }
        let made = ViewDatabases(environment)
        last.withLock { $0 = made }
        return made
    }

    package func database(_ view: View) -> Database {
        guard let database = handles[view.position] else {
            preconditionFailure("database '\(view.rawValue)' was not declared when the environment was opened")
        }
        return database
    }
}

extension View {
    /// The view's place in ``allCases``.
    package var position: Int {
        switch self {
        case .keys: 0
        case .hosts: 1
        case .hostKeys: 2
        case .settings: 3
        case .interfaces: 4
        case .macs: 5
        case .ips: 6
        case .vlanUsers: 7
        case .vms: 8
        case .clusters: 9
        case .containerSlices: 10
        case .attributes: 11
        case .effects: 12
        case .removals: 13
        case .power: 14
        case .observations: 15
        case .networkDeployments: 16
        }
    }
}
