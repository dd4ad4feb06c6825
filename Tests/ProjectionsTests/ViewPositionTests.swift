import Projections
import Testing

@Suite struct ViewPositionTests {
    /// A view's handle is found by its position: two views at one position would share a database.
    @Test func eachViewsPositionIsItsPlaceAmongAllViews() {
        #expect(View.allCases.map(\.position) == Array(View.allCases.indices))
    }
}
