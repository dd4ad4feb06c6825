import Ledger
import Signing

/// The `host-keys` view key: the host, then Rocks' key number padded so keys sort by number.
func hostKeyIndex(_ host: String, _ number: Int64) -> String {
    host + "/" + String(zeroPadded: number, width: 10)
}

/// `rocks add host key <host> key=<pem>`: gives a host's owner a key the Airboss will accept.
struct AddHostKey: Operation {
    let op = "add host key"
    static let nextNumberKey = "next-host-key-number"

    func authorize(_ signer: KeyEntry, _ request: RequestEnvelope, views: ViewStore, in txn: borrowing Transaction) throws -> Authorization {
        .role(signer, in: [.admin], for: request)
    }

    func decide(_ request: RequestEnvelope, context: AppendContext, views: ViewStore, in txn: borrowing Transaction) throws -> JSONValue {
        let host = try HostResolver(views: views).resolveOne(try request.argument("host", missing: "must supply a host"), in: txn)
        if host.membership == Membership.vmContainer.rawValue {
            throw DomainError("host \(host.name) is a VM container, holding VMs of many clusters: give the key to the cluster's virtual frontend or VM")
        }
        let pem = try request.argument("key", missing: "must supply a public key")
        let key: PublicKey
        do {
            key = try PublicKey(pem: pem)
        } catch {
            throw DomainError("the key for host \(host.name) is refused: \(error.message)")
        }
        if let existing = try views.row(.keys, key.id.hex, as: KeyEntry.self, in: txn) {
            switch existing.role {
            case .host: throw DomainError("the public key already exists for host \(existing.host ?? "?")")
            case .admin, .frontend: throw DomainError("the public key is this ledger's \(existing.role.rawValue) key; give the owner a key of their own")
            }
        }
        var number = try views.get(.settings, Self.nextNumberKey, in: txn)?.integerValue ?? 1
        if let pinned = try request.number(.keyNumber) {
            // Key numbers are unique across hosts, as Rocks' table ids were.
            let suffix = hostKeyIndex("", pinned)
            let used = try views.keys(.hostKeys, in: txn).contains { $0.hasSuffix(suffix) }
            guard !used else { throw DomainError("a public key with id \(pinned) already exists") }
            number = pinned
        }
        return HostKeyDecision(host: host.name, number: number, key: key.id, pem: key.pem).json
    }

    /// The key, and its `keys` row.
    struct Prepared: Sendable {
        let key: HostKeyDecision
        let row: [UInt8]
    }

    func prepare(_ record: Record) throws -> Prepared {
        // Everything from the decision: a later change of key policy cannot change the past.
        let key = try FieldReader.read(record, HostKeyDecision.init)
        let entry = KeyEntry(id: key.key, role: .host, host: key.host, number: key.number, pem: key.pem, since: record.sequence)
        return Prepared(key: key, row: entry.row)
    }

    func fold(_ prepared: Prepared, record: Record, into views: ViewStore, in txn: borrowing Transaction) throws {
        let key = prepared.key
        try views.put(.keys, key.key.hex, encoded: prepared.row, in: txn)
        try views.put(.hostKeys, hostKeyIndex(key.host, key.number), .string(key.key.hex), in: txn)
        let next = try views.get(.settings, Self.nextNumberKey, in: txn)?.integerValue ?? 1
        try views.put(.settings, Self.nextNumberKey, .integer(max(next, key.number + 1)), in: txn)
    }

    func keysIntroduced(by record: Record) throws -> [PublicKey] {
        [try PublicKey(pem: try FieldReader.read(record, HostKeyDecision.init).pem)]
    }

    func keysRevoked(by record: Record) throws -> [KeyID] { [] }
}

/// What `add host key` decided: the host, Rocks' key number, and the key.
struct HostKeyDecision: Sendable {
    let host: String
    let number: Int64
    let key: KeyID
    let pem: String

    var json: JSONValue {
        ["host": .string(host), "number": .integer(number), "key": .string(key.hex), "pem": .string(pem)]
    }
}

/// `rocks remove host key <host> id=<n>`: the key stops being in force at this record.
struct RemoveHostKey: Operation {
    let op = "remove host key"

    func authorize(_ signer: KeyEntry, _ request: RequestEnvelope, views: ViewStore, in txn: borrowing Transaction) throws -> Authorization {
        .role(signer, in: [.admin], for: request)
    }

    func decide(_ request: RequestEnvelope, context: AppendContext, views: ViewStore, in txn: borrowing Transaction) throws -> JSONValue {
        let host = try HostResolver(views: views).resolveOne(try request.argument("host", missing: "must supply a host"), in: txn)
        _ = try request.argument("id", missing: "must supply an ID for the key")
        let number = try request.number(.keyNumber)!
        guard let keyID = try views.get(.hostKeys, hostKeyIndex(host.name, number), in: txn)?.stringValue.flatMap(KeyID.init(hex:)) else {
            throw DomainError("public key with id \(number) doesn't exist for host \(host.name)")
        }
        return RemovedKey(host: host.name, number: number, key: keyID).json
    }

    func prepare(_ record: Record) throws -> RemovedKey { try FieldReader.read(record, RemovedKey.init) }

    func fold(_ removed: RemovedKey, record: Record, into views: ViewStore, in txn: borrowing Transaction) throws {
        try views.delete(.hostKeys, hostKeyIndex(removed.host, removed.number), in: txn)
        try views.delete(.keys, removed.key.hex, in: txn)
        try views.put(.settings, Self.revokedKey(removed.key), .integer(Int64(record.sequence)), in: txn)
    }

    /// The `settings` key holding the record that revoked a key, so a request it signs later
    /// is refused as revoked, not as unknown.
    static func revokedKey(_ id: KeyID) -> String { revokedKeyPrefix + id.hex }
    static let revokedKeyPrefix = "revoked-key/"

    func keysIntroduced(by record: Record) throws -> [PublicKey] { [] }

    func keysRevoked(by record: Record) throws -> [KeyID] { [try prepare(record).key] }
}

/// What `remove host key` decided: the host, Rocks' key number, and the key that goes.
struct RemovedKey: Sendable {
    let host: String
    let number: Int64
    let key: KeyID

    var json: JSONValue { ["host": .string(host), "number": .integer(number), "key": .string(key.hex)] }
}

extension HostKeyDecision {
    init(_ decision: FieldReader) throws {
        guard let key = KeyID(hex: try decision.string("key")) else { throw decision.malformed("key", "is not a key id") }
        self.init(host: try decision.string("host"), number: try decision.integer("number"), key: key, pem: try decision.string("pem"))
    }
}

extension RemovedKey {
    init(_ decision: FieldReader) throws {
        guard let key = KeyID(hex: try decision.string("key")) else { throw decision.malformed("key", "is not a key id") }
        self.init(host: try decision.string("host"), number: try decision.integer("number"), key: key)
    }
}
