import RocksGrammar
import ArgumentParser
import Projections
import Signing

/// `rocks list host vm`: one row per VM, and a row for each further MAC (and disk).
struct ListHostVM: RocksCommand {
    static let configuration = CommandConfiguration(
        commandName: "vm", abstract: "List VMs: slice, memory, CPUs, MACs, container.",
        discussion: """
            \(grammar.usage("rocks list host vm"))

            Non-VMs among the hosts are skipped. status=yes asks each container, in parallel \
            and within the deadline, what its VMs are doing: on, off, paused, or unknown when \
            it does not answer; beside it, what the ledger wants.
            """)
    static let grammar = Grammar(
        parameters: ["showdisks=no|yes", "status=no|yes", "deadline=5"] + ListOutput.parameters + ["at=<seq or time>"],
        hosts: .optional)

    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []

    func execute(_ arguments: RocksArguments, in context: CommandContext) throws {
        let output = try ListOutput(arguments)
        let showDisks = try arguments.bool("showdisks", default: false)
        let deadline = try arguments.statusDeadline()
        let session = try LedgerSession.reading(context)
        let vms = try session.views(at: arguments["at"]) { reader, txn in
            try reader.hosts(arguments.hosts, in: txn).filter(\.isVM).compactMap { host -> (Host, VirtualMachine, [MACAddress])? in
                guard let vm = try reader.vm(host.name, in: txn) else { return nil }
                return (host, vm, try reader.interfaces(of: host.name, in: txn).compactMap(\.mac))
            }
        }
        let status = try deadline.map { try session.status(of: vms.map(\.1), deadline: $0) } ?? [:]
        if output.json {
            try output.print(json: vms.map { host, vm, macs in
                var object: JSONObject = [
                    "host": .string(host.name), "slice": .integer(vm.slice), "mem": .integer(vm.memory), "cpus": .integer(host.cpus),
                    "macs": .array(macs.map { .string($0.description) }), "container": .string(vm.container),
                    "virt-type": .string(vm.virtType), "uuid": .string(vm.uuid),
                    "disks": .array(vm.disks.map { disk in
                        .object(["pool": .string(disk.pool), "volume": .string(disk.volume), "size": .integer(disk.sizeGB),
                                 "device": .string(disk.device), "bus": .string(disk.bus), "format": .string(disk.format)])
                    }),
                ]
                if let cluster = vm.cluster { object["cluster"] = .string(cluster) }
                if let vmStatus = status[vm.name] {
                    object["status"] = .string(vmStatus.observed.rawValue)
                    object["desired"] = .string(vmStatus.desired)
                }
                return .object(object)
            }, in: context)
            return
        }
        var header = ["vm-host", "slice", "mem", "cpus", "mac", "host", "virt-type"]
        if deadline != nil { header += ["status", "desired"] }
        if showDisks { header += ["disk", "disksize"] }
        var table = RocksTable(header: header)
        for (host, vm, macs) in vms {
            let rows = max(macs.count, showDisks ? vm.disks.count : 0, 1)
            for row in 0..<rows {
                let mac = row < macs.count ? macs[row].description : nil
                // Unlike Rocks 6.1 (reference §9.2 #16), extra rows have every column.
                var cells: [String?] = row == 0
                    ? [String(vm.slice), String(vm.memory), String(host.cpus), mac, vm.container, vm.virtType]
                    : [nil, nil, nil, mac, nil, nil]
                if deadline != nil {
                    let vmStatus = row == 0 ? status[vm.name] : nil
                    cells += [vmStatus?.observed.rawValue, vmStatus?.desired]
                }
                if showDisks {
                    let disk = row < vm.disks.count ? vm.disks[row] : nil
                    cells += [disk.map { "\($0.format):\($0.pool)/\($0.volume),\($0.device),\($0.bus)" }, disk.map { String($0.sizeGB) }]
                }
                table.add(owner: host.name, cells)
            }
        }
        try output.print(table, in: context)
    }
}
