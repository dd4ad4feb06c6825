import Ledger
import Synchronization

/// The views' database handles, by ``View``, for the environment a store was last made for:
/// every record's fold makes a ``ViewStore``, and its reads and writes then index a table
/// rather than hash the view's name each time.
///
/// A value of plain handles, held inline: a store, and every closure that captures one,
/// then holds no reference to count.
package struct ViewDatabases: Sendable {
    private static let last = Mutex<ViewDatabases?>(nil)

    /// The environment's serial, not a reference to it: the table outlives no environment's
    /// handles unnoticed, and keeps none open.
    private let environment: UInt64
    /// By ``View/position``; nil for a view an environment opened read-only lacks.
    private let handles: InlineArray<17, Database?>

    private init(_ environment: LMDBEnvironment) {
        precondition(View.allCases.count == 17, "ViewDatabases holds one handle for each view")
        self.environment = environment.serial
        handles = InlineArray { position in environment.databases[View.allCases[position].rawValue] }
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
