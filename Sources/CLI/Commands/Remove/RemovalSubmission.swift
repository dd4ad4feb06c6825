import RocksGrammar
import ArgumentParser
import Ledger
import Projections

/// Appends a removal and, unless `async=yes`, carries out its effects (stop, undefine, delete
/// disks) so the names and addresses are free when the command returns. With `async=yes`,
/// prints what is left pending for `rocks run executor`.
func submitRemoval(_ command: any RequestCommand.Type, _ arguments: RocksArguments, in context: CommandContext) throws {
    let (appended, outcomes) = try LedgerSession.writing(context)
        .submit(command.op, try command.request(arguments), runningEffectsUnless: try arguments.runsAsync)
    if outcomes == nil { reportPending(appended, in: context) }
}

/// A removal's request: the hosts, and whether their disks go too.
func removalRequest(_ arguments: RocksArguments) throws -> [String: String] {
    var args = arguments.withHosts()
    args["delete-disks"] = try arguments.bool("delete-disks", default: false) ? "yes" : "no"
    return args
}

/// Prints what a removal left pending: the effects that must succeed before names and
/// addresses are freed.
func reportPending(_ appended: Appended, in context: CommandContext) {
    let effects = appended.decision["effects"]?.arrayValue ?? []
    guard !effects.isEmpty else { return }
    context.print("removal recorded as record \(appended.sequence); \(effects.count) effect(s) pending:")
    for (index, effect) in effects.enumerated() {
        let id = EffectID(sequence: appended.sequence, index: index)
        context.print("  \(id) \(effect["kind"]?.stringValue ?? "?") \(effect["vm"]?.stringValue ?? "?") on \(effect["container"]?.stringValue ?? "?")")
    }
}
