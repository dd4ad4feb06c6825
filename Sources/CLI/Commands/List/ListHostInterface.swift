import RocksGrammar
import ArgumentParser
import Projections
import Signing

/// `rocks list host interface`: Rocks' `networks` table, host by host, device order.
struct ListHostInterface: RocksCommand {
    static let configuration = CommandConfiguration(
        commandName: "interface", abstract: "List hosts' network interfaces.",
        discussion: "\(grammar.usage("rocks list host interface"))")
    static let grammar = Grammar.list

    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []

    func execute(_ arguments: RocksArguments, in context: CommandContext) throws {
        let output = try ListOutput(arguments)
        let session = try LedgerSession.reading(context)
        let (rows, settings) = try session.views(at: arguments["at"]) { reader, txn in
            let settings = try reader.settings(in: txn)
            return (try reader.hosts(arguments.hosts, in: txn).flatMap { try reader.interfaces(of: $0.name, in: txn) }, settings)
        }
        var table = RocksTable(header: ["host", "subnet", "iface", "mac", "ip", "netmask", "module", "name", "vlan", "options", "channel"])
        var objects: [JSONValue] = []
        for interface in rows {
            // Rocks blanks everything but the subnet and VLAN of a container's `vlanN` row.
            let isVLAN = interface.device.hasPrefix("vlan")
            let netmask = interface.subnet.flatMap { settings.subnet(named: $0)?.netmask.description }
            let cells: [(String, String?)] = [
                ("subnet", interface.subnet), ("iface", interface.device), ("mac", isVLAN ? nil : interface.mac?.description),
                ("ip", isVLAN ? nil : interface.ip?.description), ("netmask", isVLAN ? nil : netmask),
                ("module", isVLAN ? nil : interface.module), ("name", isVLAN ? nil : interface.name),
                ("vlan", interface.vlan.map(String.init)), ("options", interface.options), ("channel", interface.channel),
            ]
            table.add(owner: interface.host, cells.map(\.1))
            var object: JSONObject = ["host": .string(interface.host)]
            for (name, value) in cells { if let value { object[name] = name == "vlan" ? .integer(interface.vlan!) : .string(value) } }
            objects.append(.object(object))
        }
        if output.json { try output.print(json: objects, in: context) } else { try output.print(table, in: context) }
    }
}
