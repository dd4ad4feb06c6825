import RocksGrammar
import Signing

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

    /// The lines: `columns` (lower-case header names) in that order, or every column with the
    /// owner column trimmed as Rocks does; the header line unless `header` is false, the
    /// columns as wide either way.
    func render(columns: [String]? = nil, header showHeader: Bool = true) throws(CLIError) -> [String] {
        var shown = Array(header.indices)
        if let columns {
            shown = []
            for name in columns {
                guard let index = header.firstIndex(of: name) else {
                    throw CLIError("output-col: no column \(MessageText.quote(name)) (columns: \(header.joined(separator: ", ")))")
                }
                shown.append(index)
            }
        } else if trimOwner, Set(rows.map { $0[0] }).count == 1 {
            shown.removeFirst()
        }
        guard !rows.isEmpty else { return [] }
        let all = [header.map { $0.uppercased() }] + rows
        var widths = [Int](repeating: 0, count: header.count)
        for row in all {
            for index in shown { widths[index] = max(widths[index], row[index].utf8.count) }
        }
        return all.dropFirst(showHeader ? 0 : 1).map { row in
            shown.map { index in
                let cell = row[index]
                let fill = cell.isEmpty ? "-" : " "
                return cell + String(repeating: fill, count: widths[index] - cell.utf8.count)
            }.joined(separator: " ")
        }
    }
}
