import Foundation
import Signing
import Testing
import TestSupport

/// Every reader of a view reads its rows where they lie, through the row type's decoder: a
/// row it cannot read is refused naming the view and the field, and a long list, read on
/// several threads, holds every row once.
@Suite struct RowReadingTests {
    /// Rewrites every stored version of `host`'s row in the `hosts` view with `change`.
    static func rewriteHostRow(_ home: RocksHome, _ host: String, _ change: (inout JSONObject) -> Void) throws {
        #expect(try home.rewriteRows(of: ["hosts"], key: host, change) > 0)
    }

    @Test func aMalformedRowIsRefusedNamingItsViewAndField() throws {
        let home = try RocksHome.seeded()
        let head = home.run("ledger", "head").stdout
        try Self.rewriteHostRow(home, "vm-container-0-0") { $0["cpus"] = .string("four") }
        expectOneErrorLine(home.run("list", "host"), "error - the hosts view holds a malformed row: cpus is not an integer")
        expectOneErrorLine(home.run("list", "host", "vm-container-0-0"), "the hosts view holds a malformed row: cpus")
        try Self.rewriteHostRow(home, "vm-container-0-0") { $0["cpus"] = .integer(4); $0["name"] = nil }
        expectOneErrorLine(home.run("list", "host"), "the hosts view holds a malformed row: name is missing")
        // A member this build does not write is stepped over, as an older layout's would be.
        try Self.rewriteHostRow(home, "vm-container-0-0") { $0["name"] = .string("vm-container-0-0"); $0["legacy"] = .array([1, "x"]) }
        let listed = home.run("list", "host", "vm-container-0-0", "output-col=cpus", "output-header=no")
        #expect(listed.status == 0 && listed.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "4", "\(listed.stdout)\(listed.stderr)")
        #expect(home.run("ledger", "head").stdout == head)
    }

    @Test func aLongListHoldsEveryRowOnce() throws {
        let home = try RocksHome.seeded()
        let added = home.run("add", "cluster", "137.110.119.118", "300")
        #expect(added.status == 0, "\(added.stderr)")
        let created = added.stdout.split(separator: "\n").compactMap { $0.split(separator: " ").last.map(String.init) }
        #expect(created.count == 301)
        let listed = home.run("list", "host", "vm", "output-format=json", "output-col=host")
        #expect(listed.status == 0, "\(listed.stderr)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: String]])
        // In the order they were added, each once.
        #expect(rows.map { $0["host"] } == created, "\(rows.prefix(3)) … \(rows.count)")
    }
}
