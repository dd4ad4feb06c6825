import Foundation

/// What the kernel says about one link, from `ip -json -details link show` and `ip -json addr show`.
struct LinkState: Equatable {
    let name: String
    let kind: String?
    let master: String?
    let mtu: Int
    let isUp: Bool
    let arpOff: Bool
    let stp: Int?
    /// In hundredths of a second, as iproute2 reports and takes it.
    let forwardDelay: Int?
    /// `address/prefix` of each IPv4 address.
    let addresses: Set<String>
    let mac: String?

    /// Every link in the current network namespace, by name.
    static func read(with ip: SystemCommand) throws(NetworkError) -> [String: LinkState] {
        let links = try parse(ip.run(["-json", "-details", "link", "show"]), "ip link")
        let addressRows = try parse(ip.run(["-json", "-4", "addr", "show"]), "ip addr")
        var addresses: [String: Set<String>] = [:]
        for row in addressRows {
            guard let name = row["ifname"] as? String else { continue }
            for info in row["addr_info"] as? [[String: Any]] ?? [] {
                if let local = info["local"] as? String, let prefix = info["prefixlen"] as? Int {
                    addresses[name, default: []].insert("\(local)/\(prefix)")
                }
            }
        }
        var states: [String: LinkState] = [:]
        for link in links {
            guard let name = link["ifname"] as? String else { continue }
            let flags = link["flags"] as? [String] ?? []
            let info = link["linkinfo"] as? [String: Any]
            let data = info?["info_data"] as? [String: Any]
            states[name] = LinkState(name: name, kind: info?["info_kind"] as? String, master: link["master"] as? String,
                                     mtu: link["mtu"] as? Int ?? 0, isUp: flags.contains("UP"), arpOff: flags.contains("NOARP"),
                                     stp: data?["stp_state"] as? Int, forwardDelay: data?["forward_delay"] as? Int,
                                     addresses: addresses[name] ?? [], mac: link["address"] as? String)
        }
        return states
    }

    private static func parse(_ text: String, _ what: String) throws(NetworkError) -> [[String: Any]] {
        guard let rows = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [[String: Any]] else {
            throw NetworkError("cannot read the output of \(what) -json")
        }
        return rows
    }
}
