import ArgumentParser
import Ledger
import Projections

/// Appends a removal and, unless `async=yes`, carries out its effects (stop, undefine, delete
/// disks) so the names and addresses are free when the command returns. With `async=yes`,
/// prints what is left pending for `rocks run executor`.
private func submitRemoval(_ op: String, _ arguments: RocksArguments, in context: CommandContext) throws {
    var args = arguments.withHosts()
    args["delete-disks"] = try arguments.bool("delete-disks", default: false) ? "yes" : "no"
    let (appended, outcomes) = try LedgerSession.writing(context).submit(op, args, runningEffectsUnless: try arguments.runsAsync)
    if outcomes == nil { reportPending(appended, in: context) }
}

/// Prints what a removal left pending: the effects that must succeed before names and
/// addresses are freed.
private func reportPending(_ appended: Appended, in context: CommandContext) {
    let effects = appended.decision["effects"]?.arrayValue ?? []
    guard !effects.isEmpty else { return }
    context.print("removal recorded as record \(appended.sequence); \(effects.count) effect(s) pending:")
    for (index, effect) in effects.enumerated() {
        let id = EffectID(sequence: appended.sequence, index: index)
        context.print("  \(id) \(effect["kind"]?.stringValue ?? "?") \(effect["vm"]?.stringValue ?? "?") on \(effect["container"]?.stringValue ?? "?")")
    }
}

/// `rocks remove host vm <vm...> [delete-disks=no|yes]`.
struct RemoveHostVM: RocksCommand {
    static let configuration = CommandConfiguration(
        commandName: "vm", abstract: "Remove VMs: stop, undefine, and with delete-disks=yes delete their disks.",
        discussion: "rocks remove host vm <vm...> [delete-disks=no|yes] [async=no|yes]")
    static let grammar = Grammar(parameters: ["delete-disks", "async"], hosts: .required("must supply at least one host"))

    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []

    func execute(_ arguments: RocksArguments, in context: CommandContext) throws {
        try submitRemoval("remove host vm", arguments, in: context)
    }
}

/// `rocks remove host <host...>`.
struct RemoveHost: RocksCommand {
    static let configuration = CommandConfiguration(
        commandName: "plain", abstract: "Remove hosts.",
        discussion: "rocks remove host <host...> [delete-disks=no|yes] [async=no|yes]   (a container must hold no VMs)", shouldDisplay: false)
    static let grammar = Grammar(parameters: ["delete-disks", "async"], hosts: .required("must supply at least one host"))

    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []

    func execute(_ arguments: RocksArguments, in context: CommandContext) throws {
        try submitRemoval("remove host", arguments, in: context)
    }
}

/// `rocks remove cluster <frontend> [delete-disks=no|yes]`.
struct RemoveCluster: RocksCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster", abstract: "Remove a virtual cluster: every VM stopped and undefined, then its VLAN freed.",
        discussion: "rocks remove cluster <frontend> [delete-disks=no|yes] [async=no|yes]")
    static let grammar = Grammar(parameters: ["delete-disks", "async"], hosts: .required("must supply at least one frontend name"))

    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []

    func execute(_ arguments: RocksArguments, in context: CommandContext) throws {
        try submitRemoval("remove cluster", arguments, in: context)
    }
}

/// `rocks remove host interface <host> <iface>`.
struct RemoveHostInterface: RocksCommand {
    static let configuration = CommandConfiguration(
        commandName: "interface", abstract: "Remove a physical host's interface.", discussion: "rocks remove host interface <host> <iface>")
    static let grammar = Grammar(positional: ["iface"], parameters: ["iface"], hosts: .required("must supply a host"))

    @Argument(parsing: .captureForPassthrough, help: tokensHelp) var tokens: [String] = []

    func execute(_ arguments: RocksArguments, in context: CommandContext) throws {
        try LedgerSession.writing(context).submit("remove host interface", try arguments.withHostAndInterface())
    }
}
