import Signing

/// The form of request arguments, judged without the views: what `rocks ledger sign` can
/// check offline, so a mistyped number or address is caught where the request is signed
/// rather than at submit. Appending checks the same values again, against the views.
public enum RequestForm {
    /// Refuses the first argument whose value has the wrong form for its name.
    public static func check(_ request: RequestEnvelope) throws(DomainError) {
        for (name, value) in request.args.sorted(by: { $0.key < $1.key }) where !value.isEmpty {
            if let number = numbers[name] {
                _ = try request.number(number)
            } else {
                switch name {
                case "mac": _ = try request.mac()
                case "ip": _ = try request.ip()
                case "macs", "fe-macs": _ = try request.macList(name)
                case "uuid": _ = try request.uuid()
                default: break
                }
            }
        }
        try request.checkPrintable()
    }

    /// The whole-number parameters, each with the range every operation taking it allows.
    static let numbers: [String: WholeNumber] = {
        let all: [WholeNumber] = [
            .rack(), .rank(), .cpus(), .cpus("cpus-per-compute"), .memory(), .memory("mem-per-compute"), .diskSize(),
            .diskSize("disk-per-compute"), .diskSize("disk-per-frontend"), .macCount, .slice, .keyNumber,
            WholeNumber("num-computes", 0...AddClusterOperation.maximumComputes),
            WholeNumber("timeout", PowerOperation.gracefulTimeouts, unit: "seconds"),
        ]
        return Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })
    }()
}
