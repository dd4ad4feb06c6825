import Ledger
import Projections
import Testing
import TestSupport

@Suite struct ViewDatabasesTests {
    /// A view's handle is found by its position: two views at one position would share a database.
    @Test func eachViewsPositionIsItsPlaceAmongAllViews() {
        #expect(View.allCases.map(\.position) == Array(View.allCases.indices))
    }

    /// The table of handles is kept for one environment at a time, and never lent to another:
    /// one that opened its databases in another order has other handles, even when it is
    /// opened after the first is closed (at the address the first may have had).
    @Test func eachEnvironmentGetsItsOwnHandles() throws {
        let names = View.allCases.map(\.rawValue)
        let first = TemporaryDirectory("view-databases-first"), second = TemporaryDirectory("view-databases-second")
        let firstKeys: Database
        do {
            let environment = try LMDBEnvironment(directory: first.path, databaseNames: names)
            firstKeys = environment.database(View.keys.rawValue)
            #expect(ViewDatabases.of(environment).database(.keys) == firstKeys)
        }
        let environment = try LMDBEnvironment(directory: second.path, databaseNames: names.reversed())
        let keys = environment.database(View.keys.rawValue)
        #expect(keys != firstKeys)
        #expect(ViewDatabases.of(environment).database(.keys) == keys)
        #expect(ViewDatabases.of(environment).database(.power) == environment.database(View.power.rawValue))
    }
}
