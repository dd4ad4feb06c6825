import RocksGrammar
import ArgumentParser
import Projections
import Signing

/// `rocks list cluster`: the physical cluster and every virtual cluster with its nodes.
struct ListCluster: RocksCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster", abstract: "List clusters: each frontend with its client nodes.",
        discussion: "\(grammar.usage("rocks list cluster"))   (status: see list host vm)")
    static let grammar = Grammar(
        parameters: ["status=no|yes", "deadline=5"] + ListOutput.parameters + ["at=<seq or time>"],
        hosts: .optional(shown: "[frontend...]"))

    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []

    private struct Listed {
        let label: String
        let frontend: Host
        let type: String
        let vlan: Int64?
        let clients: [Host]
    }

    func execute(_ arguments: RocksArguments, in context: CommandContext) throws {
        let output = try ListOutput(arguments)
        let deadline = try arguments.statusDeadline()
        let session = try LedgerSession.reading(context)
        let clusters = try session.views(at: arguments["at"]) { reader, txn -> [Listed] in
            let everyone = try reader.hosts([], in: txn)
            let frontends = arguments.hosts.isEmpty
                ? everyone.filter { $0.appliance == "frontend" }.sorted { $0.name < $1.name }
                : try reader.hosts(arguments.hosts, in: txn)
            return try frontends.map { frontend in
                guard frontend.appliance == "frontend" else { throw CLIError("host \(frontend.name) is not a frontend") }
                // Rocks labels a frontend by the name of its only public interface.
                let publics = try reader.interfaces(of: frontend.name, in: txn).filter { $0.subnet == "public" }
                let label = publics.count == 1 ? publics[0].name ?? frontend.name : frontend.name
                if frontend.isVM {
                    guard let cluster = try reader.cluster(frontend.name, in: txn) else {
                        throw CLIError("could not find Vlan Id for frontend \(frontend.name)")
                    }
                    let clients = try reader.vms(onVLAN: cluster.vlan, in: txn).filter { $0.name != frontend.name }
                    return Listed(label: label, frontend: frontend, type: "VM", vlan: cluster.vlan, clients: clients)
                }
                let clients = everyone.filter { !$0.isVM && $0.appliance != "frontend" }
                return Listed(label: label, frontend: frontend, type: "physical", vlan: nil, clients: clients)
            }
        }
        var status: [String: VMStatus] = [:]
        if let deadline {
            let names = clusters.filter { $0.type == "VM" }.flatMap { [$0.frontend] + $0.clients }.map(\.name)
            let reader = session.reader
            let vms = try session.ledger.read { txn in try names.compactMap { try reader.vm($0, in: txn) } }
            status = try session.status(of: vms, deadline: deadline)
        }
        if output.json {
            try output.print(json: clusters.map { cluster in
                var object: JSONObject = [
                    "frontend": .string(cluster.frontend.name), "label": .string(cluster.label), "type": .string(cluster.type),
                    "clients": .array(cluster.clients.map { .string($0.name) }),
                ]
                if let vlan = cluster.vlan { object["vlan"] = .integer(vlan) }
                if deadline != nil, cluster.type == "VM" {
                    object["status"] = .object(JSONObject(Dictionary(uniqueKeysWithValues: ([cluster.frontend] + cluster.clients).compactMap { host in
                        status[host.name].map { (host.name, JSONValue.object(["status": .string($0.observed.rawValue), "desired": .string($0.desired)])) }
                    })))
                }
                return .object(object)
            }, in: context)
            return
        }
        var header = ["frontend", "client nodes", "type"]
        if deadline != nil { header += ["status", "desired"] }
        var table = RocksTable(header: header, trimOwner: false)
        func columns(_ host: Host) -> [String?] {
            guard deadline != nil else { return [] }
            return [status[host.name]?.observed.rawValue, status[host.name]?.desired]
        }
        for cluster in clusters {
            table.add(owner: cluster.label, [nil, cluster.type] + columns(cluster.frontend))
            for client in cluster.clients { table.add(owner: "", [client.name, cluster.type] + columns(client)) }
        }
        try output.print(table, in: context)
    }
}
