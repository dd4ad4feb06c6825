import Signing

extension Ledger {
    /// The last record appended at or before `time` (append times never decrease), or nil
    /// when the log starts later.
    public func sequence(atOrBefore time: Timestamp) throws -> UInt64? {
        var low: UInt64 = 1, high = try head().sequence
        var found: UInt64?
        while low <= high {
            let middle = low + (high - low) / 2
            guard let record = try record(middle) else { throw LedgerError.corrupt(middle, "is missing") }
            if record.appended <= time {
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
