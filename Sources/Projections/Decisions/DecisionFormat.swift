/// The decision format this build writes and folds: decisions hold decided values (names,
/// slices, MACs, addresses, placement, ids), and folds build every view row from them.
/// The genesis record states it (``InitDecision``), so a ledger whose decisions are in
/// another format is refused whole rather than folded wrongly.
enum DecisionFormat {
    static let current: Int64 = 2
}
