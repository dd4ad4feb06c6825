import Signing

/// What a command accepts, in Rocks' grammar: every parameter may be given as `key=value`
/// or positionally, and positional values fill the named parameters from the end
/// (Rocks' `fillPositionalArgs`), so `add cluster 1.2.3.4 2` means `ip=1.2.3.4 num-computes=2`.
///
/// The same declaration parses a command line and writes the usage line of its `--help`
/// (``usage(_:)``), so the two cannot disagree.
package struct Grammar: Sendable {
    package enum Hosts: Sendable {
        /// The command takes no host names.
        case none
        /// Zero or more host names (none means all), shown as `[host...]` unless `shown` says otherwise.
        case optional(shown: String = "[host...]")
        /// At least one host name, or the error `message`; shown as `shown`.
        case required(String, shown: String = "<host...>")

        package static let optional = Hosts.optional()
    }

    /// Parameters filled from trailing positional values, in order.
    package var positional: [String] = []
    /// The positional parameters that may be left out.
    package var optionalPositional: [String] = []
    /// The other parameters that must be given (usage shows them without brackets).
    package var mandatory: [String] = []
    /// Every parameter usage shows, each written `name` or `name=<what usage shows after the
    /// equals sign>`: a default (`cpus=1`), the choices (`async=no|yes`), or a placeholder
    /// (`file=<path>`).
    package var parameters: [String] = []
    /// Parameters accepted but not shown: what `rocks dump` pins, and what Rocks accepts only
    /// for compatibility.
    package var hidden: [String] = []
    package var hosts: Hosts = .none
    /// Whether parameters beyond these are accepted (for requests built generically).
    package var acceptsOtherParameters = false

    package init(positional: [String] = [], optionalPositional: [String] = [], mandatory: [String] = [], parameters: [String] = [],
                 hidden: [String] = [], hosts: Hosts = .none, acceptsOtherParameters: Bool = false)
    {
        self.positional = positional
        self.optionalPositional = optionalPositional
        self.mandatory = mandatory
        self.parameters = parameters
        self.hidden = hidden
        self.hosts = hosts
        self.acceptsOtherParameters = acceptsOtherParameters
    }

    /// The names of the parameters shown.
    private var shownNames: [String] { parameters.map { String($0.prefix { $0 != "=" }) } }

    /// Every parameter name the command accepts.
    package var names: [String] { shownNames + hidden }

    /// `<command> <hosts> <positional...> [name=value ...]`, e.g.
    /// `rocks add cluster <ip> <num-computes> [cpus-per-compute=1] ...`.
    package func usage(_ command: String) -> String {
        var words = [command]
        switch hosts {
        case .none: break
        case .optional(let shown), .required(_, let shown): words.append(shown)
        }
        // A positional parameter shows as `name=<placeholder>` when it has one, else `<name>`;
        // one that may be left out, in brackets.
        for name in positional {
            let written = parameters.first { $0 == name || $0.hasPrefix(name + "=") } ?? name
            let shown = written.contains("=") ? written : "<\(name)>"
            words.append(optionalPositional.contains(name) ? "[\(shown)]" : shown)
        }
        for (name, written) in zip(shownNames, parameters) where !positional.contains(name) {
            let shown = written.contains("=") ? written : written + "="
            words.append(mandatory.contains(name) ? shown : "[\(shown)]")
        }
        if acceptsOtherParameters { words.append("[<name>=<value> ...]") }
        return words.joined(separator: " ")
    }
}

/// A command line after Rocks' parsing: named parameters and the remaining host names.
package struct RocksArguments: Sendable {
    package var parameters: [String: String]
    package var hosts: [String]
    /// The tokens as given, for a command that reads them by another grammar (`ledger sign`).
    package let tokens: [String]

    /// Splits `tokens` into `key=value` parameters (Rocks: a token matching `^[a-zA-Z0-9-_+]+=`)
    /// and positional values, fills positional parameters from the end, and refuses unknown
    /// parameters, repeated parameters and stray values.
    package init(_ tokens: [String], grammar: Grammar) throws(CLIError) {
        var parameters: [String: String] = [:]
        var values: [String] = []
        for token in tokens {
            if let (name, value) = Self.parameter(token) {
                guard grammar.names.contains(name) || grammar.acceptsOtherParameters else {
                    let valid = grammar.names.isEmpty ? "this command takes none" : "valid: " + grammar.names.joined(separator: ", ")
                    throw CLIError("unknown parameter '\(name)' (\(valid))")
                }
                guard parameters[name] == nil else { throw CLIError("parameter '\(name)' is given twice") }
                parameters[name] = value
            } else {
                values.append(token)
            }
        }
        // A command that needs a host keeps the first value for it, so `add host key espresso`
        // asks for the key rather than for a host.
        var reserved = 0
        if case .required = grammar.hosts { reserved = 1 }
        for name in grammar.positional.reversed() where parameters[name] == nil {
            guard values.count > reserved, let last = values.popLast() else { break }
            parameters[name] = last
        }
        switch grammar.hosts {
        case .none:
            if let stray = values.first { throw CLIError("unexpected argument '\(stray)'") }
        case .optional:
            break
        case .required(let message, _):
            if values.isEmpty { throw CLIError(message) }
        }
        self.parameters = parameters
        self.hosts = values
        self.tokens = tokens
    }

    package static func parameter(_ token: String) -> (String, String)? {
        guard let equals = token.firstIndex(of: "="), equals != token.startIndex else { return nil }
        let name = token[..<equals]
        guard name.utf8.allSatisfy({ c in
            (c >= 0x30 && c <= 0x39) || (c | 0x20 >= 0x61 && c | 0x20 <= 0x7a) || c == UInt8(ascii: "-") || c == UInt8(ascii: "_") || c == UInt8(ascii: "+")
        }) else { return nil }
        return (String(name).lowercased(), String(token[token.index(after: equals)...]))
    }

    package subscript(name: String) -> String? { parameters[name] }

    /// A required parameter, or the given error.
    package func required(_ name: String, _ message: String) throws(CLIError) -> String {
        guard let value = parameters[name], !value.isEmpty else { throw CLIError(message) }
        return value
    }

    /// Rocks' `str2bool`: `on/yes/y/true/1` are true, `off/no/n/false/0` false, anything else an error.
    package func bool(_ name: String, default value: Bool) throws(CLIError) -> Bool {
        guard let text = parameters[name] else { return value }
        switch text.lowercased() {
        case "on", "yes", "y", "true", "1": return true
        case "off", "no", "n", "false", "0": return false
        default: throw CLIError("\(name) must be yes or no, not '\(text)'")
        }
    }

    /// A whole-number parameter in `range`, or `value` when it is not given; a refusal says
    /// the range.
    package func integer(_ name: String, in range: ClosedRange<Int>, default value: Int, unit: String? = nil) throws(CLIError) -> Int {
        guard let text = parameters[name] else { return value }
        guard let number = Int(text), range.contains(number) else {
            throw CLIError("\(name) must be a whole number\(unit.map { " of \($0)" } ?? "") from \(range.lowerBound) to \(range.upperBound), not \(MessageText.quote(text))")
        }
        return number
    }

    /// A parameter whose value must be one of `choices`.
    package func choice(_ name: String, _ choices: [String], default value: String) throws(CLIError) -> String {
        let chosen = parameters[name] ?? value
        guard choices.contains(chosen) else {
            throw CLIError("\(name) must be one of \(choices.joined(separator: ", ")), not '\(chosen)'")
        }
        return chosen
    }
}
