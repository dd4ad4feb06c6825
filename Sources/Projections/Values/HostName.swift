import Signing

/// The name of a host this project adds: what `add host`, `add host vm` and `add cluster`
/// accept for a new host.
package enum HostName {
    /// The longest host name: one DNS label (RFC 1035).
    package static let limit = 63

    /// A host name is one lower-case DNS label that no host-list keyword already means:
    /// `frontend` or another appliance name, or `rack<N>`, would name several hosts at once.
    package static func check(_ name: String) throws(DomainError) {
        guard name.utf8.count <= limit else {
            throw DomainError("host name \(MessageText.quote(name)) is longer than \(limit) characters, a DNS label's limit")
        }
        guard FrontendSettings.isValidHostName(name), !name.contains("."), name == name.lowercased() else {
            throw DomainError("\(MessageText.quote(name)) is not a valid host name (lower-case letters, digits and inner hyphens)")
        }
        if let membership = Membership.allCases.first(where: { $0.appliance == name }) {
            throw DomainError("\"\(name)\" is the appliance name of every \(membership.rawValue) host, so it cannot name one host")
        }
        if name.hasPrefix("rack"), Int64(name.dropFirst(4)) != nil {
            throw DomainError("\"\(name)\" names every host in a rack, so it cannot name one host")
        }
    }
}
