import Ledger
import Signing

/// `rocks dump`: the commands that rebuild today's views on a ledger made by `rocks init`
/// with the same arguments. Everything a decider chose (names, slices, MACs, IPs, UUIDs, key
/// numbers) is pinned explicitly, and the allocation marks are restored last, so the replayed
/// ledger continues exactly where this one would.
extension DomainReader {
    /// One command per element, as argument words after `rocks`. Hosts come in the order
    /// they were added, so the replayed ledger lists them (and their interfaces, VMs and
    /// clusters) in the same order; a VM moved to a container added after it waits for it.
    public func dump(in txn: borrowing Transaction) throws -> [[String]] {
        var commands: [[String]] = []
        let settings = try views.settings(in: txn)
        let hosts = try HostResolver(views: views, includeRemoving: true).allHosts(in: txn).sorted { $0.order < $1.order }
        let clusters = try views.rows(.clusters, as: VirtualCluster.self, in: txn)
        let clusterVLANs = Set(clusters.map(\.vlan))
        var made: Set<String> = []
        // The containers' `vlan<N>` rows of clusters, written once both exist.
        var carriers: [Interface] = []
        var vlansMade: [Int64: String] = [:]
        var waiting: [Host] = []

        func flushCarriers() {
            carriers.removeAll { carrier in
                guard let vlan = carrier.vlan, let frontendContainer = vlansMade[vlan], made.contains(carrier.host) else { return false }
                // `add cluster` gave the frontend's container its row already.
                if carrier.host != frontendContainer {
                    commands.append(["add", "host", "interface", carrier.host, carrier.device] + Self.interfaceParameters(carrier))
                }
                return true
            }
        }
        func make(_ host: Host) throws {
            if !host.isVM {
                commands += try physicalHost(host, settings: settings, clusterVLANs: clusterVLANs, carriers: &carriers, in: txn)
            } else if let vm = try self.vm(host.name, in: txn) {
                if let cluster = clusters.first(where: { $0.frontend == host.name }) {
                    commands += try virtualFrontend(host, vm, cluster, in: txn)
                    vlansMade[cluster.vlan] = vm.container
                } else {
                    commands += try addedVM(host, vm, in: txn)
                }
            }
            for (name, value) in try attributes(of: host.name, in: txn) { commands.append(["set", "host", "attr", host.name, name, value]) }
            made.insert(host.name)
            flushCarriers()
        }
        for host in hosts {
            if host.isVM, let vm = try self.vm(host.name, in: txn), !made.contains(vm.container) {
                waiting.append(host)
                continue
            }
            try make(host)
            while let ready = try waiting.firstIndex(where: { try self.vm($0.name, in: txn).map { made.contains($0.container) } ?? true }) {
                try make(waiting.remove(at: ready))
            }
        }
        for host in waiting { try make(host) }

        // Owners' keys, with their numbers.
        for (_, key) in try views.scan(.hostKeys, in: txn) {
            guard let hex = key.stringValue, let entry = try views.row(.keys, hex, as: KeyEntry.self, in: txn),
                  let host = entry.host, let number = entry.number else { continue }
            commands.append(["add", "host", "key", host, "key=\(entry.pem)", "id=\(number)"])
        }

        // The VMs that should be running: asked for again, async, so the replayed ledger wants
        // what this one wants (its executor then finds them running and changes nothing).
        let running = try views.keys(.power, in: txn).filter { try views.row(.power, $0, as: VMPower.self, in: txn)?.desired == .on }
        let live = Set(hosts.filter { $0.removal == nil }.map(\.name))
        let toStart = running.filter(live.contains)
        if !toStart.isEmpty { commands.append(["start", "host", "vm"] + toStart + ["async=yes"]) }

        // Removals still waiting for their effects, asked for again; async, so replaying the
        // dump records them without running them (the executor does that, once).
        for removal in try views.rows(.removals, as: PendingRemoval.self, in: txn) {
            let deletesDisks = try removal.effects.contains { id in
                try views.row(.effects, id.description, as: Effect.self, in: txn)?.kind == .deleteDisk
            }
            let deleteDisks = deletesDisks ? "delete-disks=yes" : "delete-disks=no"
            if let cluster = removal.cluster {
                commands.append(["remove", "cluster", cluster, deleteDisks, "async=yes"])
            } else if !removal.hosts.isEmpty {
                commands.append(["remove", "host", "vm"] + removal.hosts + [deleteDisks, "async=yes"])
            }
        }

        // The marks, last: allocation continues where it would have.
        for (key, value) in try views.scan(.settings, in: txn) {
            guard let number = value.integerValue else { continue }
            switch key {
            case Allocator.lastMACKey: commands.append(["set", "allocation", key, MACAddress(value: UInt64(number))!.description])
            case Allocator.ipFrontierKey: commands.append(["set", "allocation", key, IPv4Address(value: UInt32(number)).description])
            case AddHostKey.nextNumberKey: commands.append(["set", "allocation", key, String(number)])
            case let rank where rank.hasPrefix("highest-rank/"): commands.append(["set", "allocation", rank, String(number)])
            default: continue
            }
        }
        return commands
    }

    /// A physical host and its NICs; the frontend's own came with `rocks init`. A container's
    /// VLAN rows of a cluster go to `carriers`, written once the cluster is.
    private func physicalHost(_ host: Host, settings: FrontendSettings, clusterVLANs: Set<Int64>, carriers: inout [Interface],
                              in txn: borrowing Transaction) throws -> [[String]]
    {
        var commands: [[String]] = []
        let interfaces = try self.interfaces(of: host.name, in: txn)
        let eth0 = interfaces.first { $0.device == "eth0" }
        if host.name == settings.hostName {
            let initial = [Interface(host: host.name, device: "eth0", ip: settings.privateIP, subnet: "private", name: host.name),
                           Interface(host: host.name, device: "eth1", ip: settings.publicIP, subnet: "public", name: settings.fqdn)]
            for expected in initial {
                if let actual = interfaces.first(where: { $0.device == expected.device }) {
                    commands += Self.fixes(expected, actual)
                } else {
                    commands.append(["remove", "host", "interface", host.name, expected.device])
                }
            }
        } else {
            var add = ["add", "host", host.name, "membership=\(host.membership)", "rack=\(host.rack)", "rank=\(host.rank)", "cpus=\(host.cpus)"]
            if let ip = eth0?.ip { add.append("ip=\(ip)") }
            if let mac = eth0?.mac { add.append("mac=\(mac)") }
            commands.append(add)
            if let eth0 {
                let expected = Interface(host: host.name, device: "eth0", mac: eth0.mac, ip: eth0.ip, subnet: "private", name: host.name)
                commands += Self.fixes(expected, eth0)
            } else {
                commands.append(["remove", "host", "interface", host.name, "eth0"])
            }
            commands += Self.actions(host, run: "os", install: "install", boot: "os")
        }
        for interface in interfaces where !["eth0", "eth1"].contains(interface.device) || (interface.device == "eth1" && host.name != settings.hostName) {
            if let vlan = interface.vlan, interface.device == "vlan\(vlan)", clusterVLANs.contains(vlan) {
                carriers.append(interface)
                continue
            }
            commands.append(["add", "host", "interface", host.name, interface.device] + Self.interfaceParameters(interface))
        }
        return commands
    }

    /// A virtual cluster's frontend through `add cluster` with no computes, then pinned to
    /// what it is; its computes follow as VMs of their own.
    private func virtualFrontend(_ host: Host, _ vm: VirtualMachine, _ cluster: VirtualCluster, in txn: borrowing Transaction) throws -> [[String]] {
        let macs = try self.interfaces(of: host.name, in: txn).prefix(2).compactMap(\.mac).map(\.description)
        return [["add", "cluster", cluster.publicIP.description, "0", "vlan=\(cluster.vlan)", "fe-name=\(host.name)",
                 "fe-container=\(vm.container)", "disk-per-frontend=\(vm.disks.first?.sizeGB ?? 36)", "fe-macs=\(macs.joined(separator: ","))"]]
            + (try pinVM(host, vm, in: txn, expectedRun: "os", expectedInstall: "install vm frontend"))
    }

    /// A VM through `add host vm`, every choice pinned.
    private func addedVM(_ host: Host, _ vm: VirtualMachine, in txn: borrowing Transaction) throws -> [[String]] {
        let nics = try self.interfaces(of: host.name, in: txn)
        var add = ["add", "host", "vm", vm.container, "membership=\(host.membership)", "name=\(host.name)", "slice=\(vm.slice)",
                   "mem=\(vm.memory)", "cpus=\(host.cpus)", "disksize=\(vm.disks.first?.sizeGB ?? 36)", "num-macs=\(max(1, nics.count))",
                   "uuid=\(vm.uuid)"]
        if nics.contains(where: { $0.vlan != nil }) { add.append("vlan=" + nics.map { $0.vlan.map(String.init) ?? "none" }.joined(separator: ",")) }
        let macs = nics.compactMap(\.mac).map(\.description)
        if !macs.isEmpty { add.append("macs=\(macs.joined(separator: ","))") }
        if let ip = nics.first?.ip { add.append("ip=\(ip)") }
        if let cluster = vm.cluster { add.append("cluster=\(cluster)") }
        return [add] + (try pinVM(host, vm, in: txn, expectedRun: "os", expectedInstall: "install headless", added: true))
    }

    /// Pins a VM made by `add cluster` or `add host vm` to today's shape: NICs, slice, memory,
    /// disk, UUID, CPUs and boot actions.
    private func pinVM(_ host: Host, _ vm: VirtualMachine, in txn: borrowing Transaction, expectedRun: String, expectedInstall: String,
                       added: Bool = false) throws -> [[String]]
    {
        var commands: [[String]] = []
        let nics = try interfaces(of: host.name, in: txn)
        for (index, nic) in nics.enumerated() {
            // What the creating command left on this NIC, before pinning (its MACs were pinned).
            var expected = Interface(host: host.name, device: nic.device, mac: nic.mac, vlan: nic.vlan)
            if added {
                if index == 0 { expected.ip = nic.ip; expected.subnet = nic.ip == nil ? nil : "private"; expected.name = host.name }
            } else if nic.device == "eth0" {
                expected.subnet = "private"
                expected.name = host.name
            } else if nic.device == "eth1" {
                expected.subnet = "public"
                expected.name = host.name
                expected.ip = nic.ip
            }
            commands += Self.fixes(expected, nic)
        }
        if !added {
            let disk = vm.disks.first
            var set = ["set", "host", "vm", host.name, "slice=\(vm.slice)", "mem=\(vm.memory)", "uuid=\(vm.uuid)"]
            if let disk { set += ["disk=\(disk.pool)/\(disk.volume)", "disksize=\(disk.sizeGB)"] }
            commands.append(set)
            if host.cpus != 1 { commands.append(["set", "host", "cpus", host.name, String(host.cpus)]) }
        } else if let disk = vm.disks.first {
            commands.append(["set", "host", "vm", host.name, "disk=\(disk.pool)/\(disk.volume)"])
        }
        let hostedDefaults = host.membership == Membership.hostedVM.rawValue && vm.cluster != nil && !added
        commands += Self.actions(host, run: hostedDefaults ? "none" : expectedRun, install: hostedDefaults ? "install" : expectedInstall, boot: "install")
        return commands
    }

    /// `set host runaction|installaction|boot` for what differs from what creation set.
    private static func actions(_ host: Host, run: String, install: String, boot: String) -> [[String]] {
        var commands: [[String]] = []
        if host.runAction != run { commands.append(["set", "host", "runaction", host.name, host.runAction]) }
        if host.installAction != install { commands.append(["set", "host", "installaction", host.name, host.installAction]) }
        if host.bootAction != boot { commands.append(["set", "host", "boot", host.name, "action=\(host.bootAction)"]) }
        return commands
    }

    /// `set host interface <field>` for each field where `actual` differs from `expected`.
    private static func fixes(_ expected: Interface, _ actual: Interface) -> [[String]] {
        let fields: [(String, String?, String?)] = [
            ("mac", expected.mac?.description, actual.mac?.description), ("ip", expected.ip?.description, actual.ip?.description),
            ("subnet", expected.subnet, actual.subnet), ("name", expected.name, actual.name),
            ("vlan", expected.vlan.map(String.init), actual.vlan.map(String.init)), ("module", expected.module, actual.module),
        ]
        return fields.filter { $0.1 != $0.2 }.map { field, _, value in
            ["set", "host", "interface", field, actual.host, actual.device, value ?? "none"]
        }
    }

    private static func interfaceParameters(_ interface: Interface) -> [String] {
        var parameters: [String] = []
        if let mac = interface.mac { parameters.append("mac=\(mac)") }
        if let ip = interface.ip { parameters.append("ip=\(ip)") }
        if let subnet = interface.subnet { parameters.append("subnet=\(subnet)") }
        if let vlan = interface.vlan { parameters.append("vlan=\(vlan)") }
        if let module = interface.module { parameters.append("module=\(module)") }
        if let name = interface.name { parameters.append("name=\(name)") }
        return parameters
    }
}
