import Ledger
import Signing

/// Turns the host names an operator typed into known hosts, as Rocks' `getHostnames` does:
/// a host name, the frontend's FQDN, an appliance name (`frontend`, `vm-container`, …) or
/// `rack<N>`. The result is sorted and without duplicates.
struct HostResolver {
    let views: ViewStore
    /// Whether hosts whose removal is pending still resolve (for removals to say so).
    var includeRemoving = false

    func resolve(_ names: [String], in txn: borrowing Transaction) throws -> [Host] {
        var found: [String: Host] = [:]
        for name in names {
            let matches = try resolve(name, in: txn).filter { includeRemoving || $0.removal == nil }
            guard !matches.isEmpty else { throw DomainError("cannot resolve host \(MessageText.doubleQuote(name))") }
            for host in matches { found[host.name] = host }
        }
        return found.keys.sorted().map { found[$0]! }
    }

    /// Exactly one host, or the error Rocks gives for none or several.
    func resolveOne(_ name: String, in txn: borrowing Transaction) throws -> Host {
        let hosts = try resolve([name], in: txn)
        guard hosts.count == 1 else { throw DomainError("\(MessageText.doubleQuote(name)) names \(hosts.count) hosts; give exactly one") }
        return hosts[0]
    }

    private func resolve(_ name: String, in txn: borrowing Transaction) throws -> [Host] {
        if let host = try views.row(.hosts, name, as: Host.self, in: txn) { return [host] }
        // A MAC or an IP names the host of the interface holding it.
        let interfaces = InterfaceStore(views: views)
        let owner = try MACAddress(name.lowercased()).map { try interfaces.owner(of: $0, in: txn) } ?? IPv4Address(name).map { try interfaces.owner(of: $0, in: txn) }
        if let owner = owner ?? nil, let holder = owner.split(separator: "/").first, let host = try views.row(.hosts, String(holder), as: Host.self, in: txn) {
            return [host]
        }
        let all = try allHosts(in: txn)
        if let settings = try views.row(.settings, FrontendSettings.key, as: FrontendSettings.self, in: txn),
           settings.fqdn == name, let frontend = all.first(where: { $0.name == settings.hostName })
        {
            return [frontend]
        }
        if name.hasPrefix("rack"), let rack = Int64(name.dropFirst(4)) {
            return all.filter { $0.rack == rack }
        }
        return all.filter { $0.appliance == name }
    }

    /// Every host, in name order; with `includeRemoving` false, only live ones.
    func allHosts(in txn: borrowing Transaction) throws -> [Host] {
        try views.rows(.hosts, as: Host.self, in: txn).filter { includeRemoving || $0.removal == nil }
    }
}
