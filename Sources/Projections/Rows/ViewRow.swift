import Ledger
import Signing

/// A row of one view. Its type's file holds its canonical encoder (``row``) beside its
/// decoder (``init(json:)``), and every writer of the view goes through them.
protocol ViewRow {
    /// The row's canonical JSON.
    var row: [UInt8] { get }
    init(json: JSONValue) throws
}

extension Host: ViewRow {}
extension VirtualMachine: ViewRow {}
extension VirtualCluster: ViewRow {}
extension Interface: ViewRow {}
extension KeyEntry: ViewRow {}
extension Effect: ViewRow {}
extension VMPower: ViewRow {}
extension VMObservation: ViewRow {}
extension NetworkDeployment: ViewRow {}
extension PendingRemoval: ViewRow {}
extension FrontendSettings: ViewRow {}

extension ViewStore {
    /// Writes `row` as the version of `key` this record writes.
    func put(_ view: View, _ key: String, _ row: some ViewRow, in txn: borrowing Transaction) throws {
        try put(view, key, encoded: row.row, in: txn)
    }

    /// The row of `key`, if there is one.
    func row<Row: ViewRow>(_ view: View, _ key: String, as type: Row.Type, in txn: borrowing Transaction) throws -> Row? {
        try get(view, key, in: txn).map(Row.init(json:))
    }
}
