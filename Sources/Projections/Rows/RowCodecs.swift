import Ledger
import Signing

extension View {
    /// A row of this view as this build writes it, from the row as stored: its type's decoder,
    /// then its encoder. Nil for views whose rows are plain values (names, key ids, `true`).
    /// Each row type's reader and writer live side by side in its own file; this is the one
    /// table that names them by view.
    var rowCodec: (@Sendable (JSONValue) throws -> [UInt8])? {
        switch self {
        case .keys: { try KeyEntry(json: $0).row }
        case .hosts: { try Host(json: $0).row }
        case .interfaces: { try Interface(json: $0).row }
        case .vms: { try VirtualMachine(json: $0).row }
        case .clusters: { try VirtualCluster(json: $0).row }
        case .effects: { try Effect(json: $0).row }
        case .removals: { try PendingRemoval(json: $0).row }
        case .power: { try VMPower(json: $0).row }
        case .observations: { try VMObservation(json: $0).row }
        case .networkDeployments: { try NetworkDeployment(json: $0).row }
        // The frontend's settings, beside the allocation counters (plain integers).
        case .settings: { $0.objectValue == nil ? CanonicalJSON.encode($0) : try FrontendSettings(json: $0).row }
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
            for (key, row) in try views.rows(view, in: txn) {
                // Decoded strictly: a row out of canonical form is out of layout too.
                let current = try? codec(CanonicalJSON.decode(row))
                if current != row { stale.append("\(view.rawValue) \(String(decoding: key, as: UTF8.self))") }
            }
        }
        return stale
    }
}
