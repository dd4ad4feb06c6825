import Signing

extension Ledger {
    /// Runs `body` over the views as they were right after record `sequence`, without
    /// touching the live views: a write transaction empties the views, folds records
    /// `1...sequence` into them, runs `body`, and is aborted. Writers wait meanwhile.
    public func asOf<T>(_ sequence: UInt64, _ body: (borrowing Transaction) throws -> T) throws -> T {
        let head = try head().sequence
        guard (1...head).contains(sequence) else {
            throw LedgerError(.noLedger, "at=\(sequence) is outside the log (records 1 to \(head))")
        }
        let txn = try environment.beginTransaction(readOnly: false)
        for name in projection.viewNames { try txn.empty(environment.database(name)) }
        try txn.forEach(in: records) { key, value in
            guard let current = SequenceKey.decode(key), current <= sequence else { return false }
            try projection.apply(Record(stored: value), in: txn, environment: environment)
            return true
        }
        let result = try body(txn)
        txn.abort()
        return result
    }

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
