import RocksGrammar
import ArgumentParser
import Foundation
import Executors
import Projections
import Signing

/// `rocks sync host network <host...> [root=/] [apply=no|yes]`: writes each host's network
/// files under `root`, records their paths and SHA-256 in the ledger, and with `apply=yes`
/// makes the links match with iproute2 without restarting the host's network.
struct SyncHostNetwork: RocksCommand {
    static let configuration = CommandConfiguration(
        commandName: "network", abstract: "Write, record and optionally apply a container's bridge and VLAN configuration.",
        discussion: """
            \(grammar.usage("rocks sync host network"))
            rocks sync host network <host...> root=<dir>   (each host's files under <dir>/<host>)

            Files are written atomically; those an earlier sync wrote that the views no longer \
            need (a removed cluster's VLAN) are removed, and with apply=yes so are their VLAN \
            devices. A record is appended only when what is deployed changes.
            """)
    static let grammar = Grammar(parameters: ["root=/", "apply=no|yes"], hosts: .required("must supply a host", shown: "<host>"))

    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []

    func execute(_ arguments: RocksArguments, in context: CommandContext) throws {
        let root = arguments["root"] ?? "/"
        guard root.hasPrefix("/") else { throw CLIError("root must be an absolute path, not '\(root)'") }
        let apply = try arguments.bool("apply", default: false)
        // The files and links are this machine's: several hosts' files can only be staged,
        // each under <root>/<host>.
        let several = arguments.hosts.count > 1
        if several, root == "/" || apply {
            throw CLIError("several hosts need root=<dir> (their files go under <dir>/<host>) and no apply=yes")
        }
        let session = try LedgerSession.writing(context)
        try NetworkFileWriter(root: root).checkRoot()
        let networks = try HostNetwork.read(arguments.hosts, session: session) { host in
            several ? (root.hasSuffix("/") ? root : root + "/") + host : root
        }
        for network in networks {
            if several, !FileManager.default.fileExists(atPath: network.root) {
                try FileManager.default.createDirectory(atPath: network.root, withIntermediateDirectories: false)
            }
            try sync(network, writer: NetworkFileWriter(root: network.root), apply: apply, session: session, context: context)
        }
    }

    private func sync(_ network: HostNetwork, writer: NetworkFileWriter, apply: Bool, session: LedgerSession, context: CommandContext) throws {
        let topology = network.topology
        let files = topology.ifcfgFiles
        let links = topology.managedLinks
        let staleLinks = (network.previous?.links ?? []).filter { !links.contains($0) }
        // Check the links before writing a file, so a host that cannot take the topology
        // gets nothing half-done.
        let changes = try apply ? NetworkApplier().prepare(topology, removing: staleLinks) : nil
        for change in try writer.write(files, removing: network.previous?.files.map(\.path) ?? []) {
            switch change {
            case .wrote(let path): context.print("\(topology.host): wrote \(writer.location(of: path))")
            case .removed(let path): context.print("\(topology.host): removed \(writer.location(of: path))")
            case .unchanged: break
            }
        }
        var failure: (any Error)?
        do {
            try changes?.run()
        } catch {
            failure = error
        }
        // A VLAN device still to be removed stays in the record until an apply removes it.
        let removed = changes != nil && failure == nil
        let deployment = NetworkDeployment(
            host: topology.host, root: writer.root,
            files: files.map { NetworkDeployment.File(path: $0.path, sha256: Hex.encode(SHA256.hash(Array($0.contents.utf8)))) },
            links: removed ? links : links + staleLinks)
        if deployment.files != network.previous?.files || deployment.links != network.previous?.links {
            let appended = try session.submit("sync host network", deployment.requestArguments)
            context.print("\(topology.host): recorded \(deployment.files.count) file hashes in record \(appended.sequence)")
        }
        if let failure { throw failure }
        guard let changes else { return }
        for command in changes.commands { context.print("\(topology.host): \(command)") }
        if changes.commands.isEmpty { context.print("\(topology.host): links already match") }
    }
}
