/// Rocks' table output (`endOutput`): upper-case headers, the owner column shown as
/// `name:` and dropped when every row has the same owner, each column left-justified to
/// its widest cell, empty cells filled with `-`, columns joined by one space. Widths count
/// UTF-8 bytes: every cell is ASCII (host names, addresses, PEM), and counting characters
/// would dominate the time of listing 10,000 VMs.
struct RocksTable {
    /// Lower-case column names; the first names the owner column.
    let header: [String]
    /// When false, the owner column is kept even if every row shares one owner.
    var trimOwner = true
    private(set) var rows: [[String]] = []

    init(header: [String], trimOwner: Bool = true) {
        self.header = header
        self.trimOwner = trimOwner
    }

    /// Adds a row owned by `owner`; nil or empty cells print as dashes.
    mutating func add(owner: String, _ cells: [String?]) {
        rows.append([owner + ":"] + cells.map { $0 ?? "" })
    }

    func render() -> [String] {
        guard !rows.isEmpty else { return [] }
        let firstColumn = trimOwner && Set(rows.map { $0[0] }).count == 1 ? 1 : 0
        let all = [header.map { $0.uppercased() }] + rows
        var widths = [Int](repeating: 0, count: all.map(\.count).max() ?? 0)
        for row in all {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.utf8.count) }
        }
        return all.map { row in
            row.indices.dropFirst(firstColumn).map { index in
                let cell = row[index]
                let fill = cell.isEmpty ? "-" : " "
                return cell + String(repeating: fill, count: widths[index] - cell.utf8.count)
            }.joined(separator: " ")
        }
    }
}
