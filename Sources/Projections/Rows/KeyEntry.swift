import Signing

/// A public key the ledger knows, with the authority it carries.
public struct KeyEntry: Sendable, Equatable {
    public enum Role: String, Sendable {
        /// Signs operators' commands (`$ROCKS_HOME/keys/admin.pem`).
        case admin
        /// Signs checkpoints and, later, executors' outcomes (`$ROCKS_HOME/keys/frontend.pem`).
        case frontend
        /// A key added with `rocks add host key`, for the host's owner (the Airboss).
        case host
    }

    public let id: KeyID
    public let role: Role
    /// The host a `host` key belongs to.
    public let host: String?
    /// Rocks' numeric key id, shown by `list host key` and taken by `remove host key id=`.
    public let number: Int64?
    public let pem: String
    /// The record that introduced the key.
    public let since: UInt64

    /// The `keys` row.
    var row: [UInt8] {
        var row = CanonicalObjectWriter()
        row.member("host", host)
        row.member("id", id.hex)
        row.member("number", number)
        row.member("pem", pem)
        row.member("role", role.rawValue)
        row.member("since", Int64(since))
        return row.finish()
    }

    init(id: KeyID, role: Role, host: String?, number: Int64?, pem: String, since: UInt64) {
        self.id = id
        self.role = role
        self.host = host
        self.number = number
        self.pem = pem
        self.since = since
    }

    init(row: FieldReader) throws {
        let host = try row.optionalString("host"), id = try row.string("id", as: "a key id", KeyID.init(hex:))
        let number = try row.optionalInteger("number"), pem = try row.string("pem")
        let role = try row.string("role", as: "a key role", Role.init(rawValue:)), since = try row.integer("since")
        self.init(id: id, role: role, host: host, number: number, pem: pem, since: UInt64(since))
    }

    public func publicKey() throws -> PublicKey { try PublicKey(pem: pem) }
}
