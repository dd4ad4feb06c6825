import Signing

extension Ledger {
    /// The last record appended at or before `time` (append times never decrease), or nil
    /// when the log starts later.
    public func sequence(atOrBefore time: Timestamp) throws -> UInt64? {
        try environment.read { txn in try sequence(atOrBefore: time, in: txn) }
    }

    /// The search in one read transaction; each probe needs only the append time, so it
    /// checks layout and digest (``Record/summary(_:)``, as the head does) without parsing.
    private func sequence(atOrBefore time: Timestamp, in txn: borrowing Transaction) throws -> UInt64? {
        var low: UInt64 = 1, high = try head(in: txn).sequence
        var found: UInt64?
        while low <= high {
            let middle = low + (high - low) / 2
            guard let stored = try txn.get(records, SequenceKey.encode(middle)), let probe = Record.summary(stored),
                  probe.sequence == middle
            else { throw LedgerError.corrupt(middle, "is missing or damaged") }
            if probe.appended <= time {
                found = middle
                low = middle + 1
            } else {
                if middle == 1 { break }
                high = middle - 1
            }
        }
        return found
    }
}
