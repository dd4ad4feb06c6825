import RocksGrammar

extension Grammar {
    /// What every list command takes: hosts (none means all), the output parameters and `at=`.
    static let list = Grammar(parameters: ListOutput.parameters + ["at=<seq or time>"], hosts: .optional)
}

extension RocksArguments {
    /// Parameters that steer the command itself and are never part of the request it signs.
    static let commandOnly: Set<String> = ["async"]

    /// The parameters plus the host list as `hosts`, space-separated: how requests carry hosts.
    func withHosts() -> [String: String] {
        var args = parameters.filter { !Self.commandOnly.contains($0.key) }
        args["hosts"] = hosts.joined(separator: " ")
        return args
    }

    /// For `<host> <iface>` commands: exactly one host, an interface, and the parameters with `host`.
    func withHostAndInterface() throws(CLIError) -> [String: String] {
        guard hosts.count == 1 else { throw CLIError("must supply only one host") }
        _ = try required("iface", "must supply an interface")
        var args = parameters
        args["host"] = hosts[0]
        return args
    }
}
