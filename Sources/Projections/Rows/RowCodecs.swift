import Ledger
import Signing

extension View {
    /// A row of this view as this build writes it, from the row as stored: its type's decoder,
    /// then its encoder. Nil for views whose rows are plain values (names, key ids, `true`).
    /// Each row type's reader and writer live side by side in its own file; this is the one
    /// table that names them by view.
    var rowCodec: (@Sendable (FieldReader) throws -> [UInt8])? {
        switch self {
        case .keys: { try KeyEntry(row: $0).row }
        case .hosts: { try Host(row: $0).row }
        case .interfaces: { try Interface(row: $0).row }
        case .vms: { try VirtualMachine(row: $0).row }
        case .clusters: { try VirtualCluster(row: $0).row }
        case .effects: { try Effect(row: $0).row }
        case .removals: { try PendingRemoval(row: $0).row }
        case .power: { try VMPower(row: $0).row }
        case .observations: { try VMObservation(row: $0).row }
        case .networkDeployments: { try NetworkDeployment(row: $0).row }
        case .settings: { try FrontendSettings(row: $0).row }
        case .hostKeys, .macs, .ips, .vlanUsers, .containerSlices, .attributes: nil
        }
    }
}

extension DomainReader {
    /// The rows whose stored bytes are not what this build's codecs write for them, as
    /// `<view> <key>`: rows folded by a build that laid them out otherwise, which
    /// `rocks ledger rebuild` lays out anew from the decisions. Empty when every row is current.
    public func rowsNotInCurrentLayout(in txn: borrowing Transaction) throws -> [String] {
        var stale: [String] = []
        for view in View.allCases {
            guard let codec = view.rowCodec else { continue }
            for (key, row) in try views.storedRows(view, in: txn) {
                let current = try? { () throws -> [UInt8] in
                    // Decoded strictly first: a row out of canonical form is out of layout too.
                    let value = try CanonicalJSON.decode(row)
                    // The settings view keeps the allocation counters, plain integers, beside
                    // the frontend's settings.
                    if view == .settings, value.objectValue == nil { return CanonicalJSON.encode(value) }
                    return try row.withUnsafeBytes { try FieldReader.read(row: $0, of: view, codec) }
                }()
                if current != row { stale.append("\(view.rawValue) \(String(decoding: key, as: UTF8.self))") }
            }
        }
        return stale
    }
}
