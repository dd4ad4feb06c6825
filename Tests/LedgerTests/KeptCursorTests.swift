import Ledger
import Testing
import TestSupport

/// A transaction reads and writes each database through one cursor it keeps: what it reads
/// must still be what the database holds after the same transaction wrote, deleted and
/// emptied through other paths.
@Suite struct KeptCursorTests {
    @Test func readsSeeTheTransactionsOwnPutsDeletionsAndEmptying() throws {
        let directory = TemporaryDirectory("kept-cursor")
        let environment = try LMDBEnvironment(directory: directory.path, databaseNames: ["rows"])
        let rows = environment.database("rows")
        func key(_ text: String) -> [UInt8] { Array(text.utf8) }
        func entry(atOrBefore bound: String, in txn: borrowing Transaction) throws -> String? {
            try txn.withEntry(in: rows, atOrBefore: key(bound)) { $0.map { String(decoding: $0.key, as: UTF8.self) } }
        }
        try environment.write { txn in
            for name in ["a", "c", "e"] { try txn.put(rows, key(name), key("value of \(name)")) }
            #expect(try entry(atOrBefore: "d", in: txn) == "c")
            #expect(try txn.get(rows, key("c")) == key("value of c"))
            // Deleted through mdb_del, not the kept cursor, which was left on "c".
            #expect(try txn.delete(rows, key("c")))
            #expect(try entry(atOrBefore: "d", in: txn) == "a")
            #expect(try txn.get(rows, key("c")) == nil)
            try txn.empty(rows)
            #expect(try entry(atOrBefore: "z", in: txn) == nil)
            #expect(try txn.get(rows, key("e")) == nil)
            try txn.put(rows, key("b"), key("new"))
            #expect(try entry(atOrBefore: "z", in: txn) == "b")
        }
        // Committed, and read back by a new transaction with cursors of its own.
        let (value, last) = try environment.read { txn in (try txn.get(rows, key("b")), try entry(atOrBefore: "z", in: txn)) }
        #expect(value == key("new"))
        #expect(last == "b")
    }
}
