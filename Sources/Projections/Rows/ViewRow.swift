import Ledger
import Signing

/// A row of one view. Its type's file holds its canonical encoder (``row``) beside its
/// decoder (``init(row:)``), and every writer and reader of the view goes through them.
protocol ViewRow: Sendable {
    /// The row's canonical JSON.
    var row: [UInt8] { get }
    /// Reads the row where it lies, in the bytes LMDB lends: no tree of values is built.
    init(row: FieldReader) throws
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
        try withCurrent(view, key, in: txn) { stored in try stored.map { try FieldReader.read(row: $0, of: view, Row.init(row:)) } }
    }
}
