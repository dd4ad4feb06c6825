import Executors
import Projections

/// A container's or the physical frontend's network as the views describe it, with what the
/// last `sync host network` under a root deployed there.
struct HostNetwork {
    let topology: NetworkTopology
    /// Where its files go (and went).
    let root: String
    let previous: NetworkDeployment?

    /// Reads every named host in one transaction; refuses unknown hosts and hosts that do
    /// not carry bridges before anything is written.
    static func read(_ names: [String], session: LedgerSession, root: (String) -> String = { _ in "/" }) throws -> [HostNetwork] {
        let reader = session.reader
        return try session.ledger.read { txn in
            let settings = try reader.settings(in: txn)
            return try reader.hosts(names, in: txn).map { host in
                let topology = try NetworkTopology(host: host, interfaces: try reader.interfaces(of: host.name, in: txn),
                                                   settings: settings, attributes: try reader.attributeMap(of: host.name, in: txn))
                let hostRoot = root(host.name)
                return HostNetwork(topology: topology, root: hostRoot, previous: try reader.networkDeployment(of: host.name, root: hostRoot, in: txn))
            }
        }
    }
}
