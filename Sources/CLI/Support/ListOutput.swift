import RocksGrammar
import Signing

/// How a list prints, from Rocks' global output parameters: `output-format=table|json`,
/// `output-header=yes|no` (a table without its header line) and `output-col=<col,...>` (the
/// columns shown, in that order, by their lower-case header names; with JSON, the fields kept).
struct ListOutput {
    let json: Bool
    let header: Bool
    let columns: [String]?

    /// What every list command's usage shows for these parameters.
    static let parameters = ["output-format=json", "output-header=yes|no", "output-col=<column,...>"]

    init(_ arguments: RocksArguments) throws(CLIError) {
        json = try arguments.choice("output-format", ["table", "json"], default: "table") == "json"
        header = try arguments.bool("output-header", default: true)
        if let text = arguments["output-col"] {
            let names = text.split(separator: ",").map { String($0).lowercased() }
            guard !names.isEmpty else { throw CLIError("output-col must name at least one column") }
            columns = names
        } else {
            columns = nil
        }
    }

    func print(_ table: RocksTable, in context: CommandContext) throws(CLIError) {
        try table.render(columns: columns, header: header).forEach(context.print)
    }

    func print(json rows: [JSONValue], in context: CommandContext) throws(CLIError) {
        guard let columns else { return context.print(JSONOutput.render(rows)) }
        let known = Set(rows.flatMap { $0.objectValue.map { Array($0.keys) } ?? [] })
        if !rows.isEmpty, let unknown = columns.first(where: { !known.contains($0) }) {
            throw CLIError("output-col: no field \(MessageText.quote(unknown)) (fields: \(known.sorted().joined(separator: ", ")))")
        }
        context.print(JSONOutput.render(rows.map { row in
            var kept: JSONObject = [:]
            for name in columns { kept[name] = row.objectValue?[name] }
            return .object(kept)
        }))
    }
}
