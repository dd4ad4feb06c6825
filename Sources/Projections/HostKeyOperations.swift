import Ledger
import Signing

/// The `host-keys` view key: the host, then Rocks' key number padded so keys sort by number.
func hostKeyIndex(_ host: String, _ number: Int64) -> String {
    let digits = String(number)
    return host + "/" + String(repeating: "0", count: max(0, 10 - digits.count)) + digits
}

/// `rocks add host key <host> key=<pem>`: gives a host's owner a key the Airboss will accept.
struct AddHostKey: PreparedOperation {
    let op = "add host key"
    let allowedRoles: Set<KeyEntry.Role> = [.admin]
    static let nextNumberKey = "next-host-key-number"

    func decide(_ request: RequestEnvelope, context: AppendContext, views: ViewStore, in txn: borrowing Transaction) throws -> JSONValue {
        let host = try HostResolver(views: views).resolveOne(try request.argument("host", missing: "must supply a host"), in: txn)
        let pem = try request.argument("key", missing: "must supply a public key")
        let key: PublicKey
        do {
            key = try PublicKey(pem: pem)
        } catch {
            throw DomainError("the key for host \(host.name) is refused: \(error.message)")
        }
        if let existing = try views.get(.keys, key.id.hex, in: txn).map(KeyEntry.init(json:)) {
            switch existing.role {
            case .host: throw DomainError("the public key already exists for host \(existing.host ?? "?")")
            case .admin, .frontend: throw DomainError("the public key is this ledger's \(existing.role.rawValue) key; give the owner a key of their own")
            }
        }
        var number = try views.get(.settings, Self.nextNumberKey, in: txn)?.integerValue ?? 1
        if let pinned = try request.integer("id", message: "id must be a positive integer") {
            guard pinned > 0 else { throw DomainError("id must be a positive integer") }
            // Key numbers are unique across hosts, as Rocks' table ids were.
            let suffix = hostKeyIndex("", pinned)
            let used = try views.scan(.hostKeys, in: txn).contains { $0.0.hasSuffix(suffix) }
            guard !used else { throw DomainError("a public key with id \(pinned) already exists") }
            number = pinned
        }
        return .object(["host": .string(host.name), "number": .integer(number), "key": .string(key.id.hex), "pem": .string(key.pem)])
    }

    /// The rows one key adds, keyed and encoded ahead of the fold.
    struct Prepared: Sendable {
        let id: String
        let entry: [UInt8]
        let index: String
        let indexRow: [UInt8]
        let number: Int64
    }

    func prepareFold(_ record: Record) throws -> Prepared {
        // Everything from the decision: a later change of key policy cannot change the past.
        try record.withDecision { stored in
            var field = stored.members
            guard let host = field("host"), let hostName = host.stringValue, let key = field("key"),
                  let id = key.stringValue.flatMap(KeyID.init(hex:)), let number = field("number"),
                  let numberValue = number.integerValue, let pem = field("pem"), pem.isString
            else { throw malformed(record) }
            return Prepared(id: id.hex, entry: Self.entryRow(host: host, key: key, number: number, pem: pem, since: record.sequence),
                            index: hostKeyIndex(hostName, numberValue), indexRow: Array(key.raw), number: numberValue)
        }
    }

    /// The `keys` row of a host key (``KeyEntry/json``, canonical) made of the decision's own
    /// canonical values: the PEM, a few hundred bytes with an escape per line, is copied as it
    /// lies, where unescaping it and escaping it again cost more than the rest of the record.
    private static func entryRow(host: JSONBytes, key: JSONBytes, number: JSONBytes, pem: JSONBytes, since: UInt64) -> [UInt8] {
        var row: [UInt8] = []
        row.reserveCapacity(host.raw.count + key.raw.count + pem.raw.count + 80)
        func member(_ name: StaticString, _ value: JSONBytes) {
            row.append(contentsOf: UnsafeRawBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
            row.append(contentsOf: value.raw)
        }
        // In canonical (sorted) order of the names.
        member("{\"host\":", host)
        member(",\"id\":", key)
        member(",\"number\":", number)
        member(",\"pem\":", pem)
        row.append(contentsOf: ",\"role\":\"\(KeyEntry.Role.host.rawValue)\",\"since\":\(since)}".utf8)
        return row
    }

    func fold(_ key: Prepared, record: Record, views: ViewStore, in txn: borrowing Transaction) throws {
        try views.put(.keys, key.id, encoded: key.entry, in: txn)
        try views.put(.hostKeys, key.index, encoded: key.indexRow, in: txn)
        let next = try views.get(.settings, Self.nextNumberKey, in: txn)?.integerValue ?? 1
        try views.put(.settings, Self.nextNumberKey, .integer(max(next, key.number + 1)), in: txn)
    }

    func keysIntroduced(_ request: RequestEnvelope, decision: JSONValue) -> [PublicKey] {
        guard decision["denied"] == nil, let pem = decision["pem"]?.stringValue, let key = try? PublicKey(pem: pem) else { return [] }
        return [key]
    }
}

/// `rocks remove host key <host> id=<n>`: the key stops being in force at this record.
struct RemoveHostKey: Operation {
    let op = "remove host key"
    let allowedRoles: Set<KeyEntry.Role> = [.admin]

    func decide(_ request: RequestEnvelope, context: AppendContext, views: ViewStore, in txn: borrowing Transaction) throws -> JSONValue {
        let host = try HostResolver(views: views).resolveOne(try request.argument("host", missing: "must supply a host"), in: txn)
        let text = try request.argument("id", missing: "must supply an ID for the key")
        guard let number = Int64(text), number > 0 else { throw DomainError("id must be a positive integer, not '\(text)'") }
        guard let keyID = try views.get(.hostKeys, hostKeyIndex(host.name, number), in: txn)?.stringValue else {
            throw DomainError("public key with id \(number) doesn't exist for host \(host.name)")
        }
        return .object(["host": .string(host.name), "number": .integer(number), "key": .string(keyID), "revoked-keys": [.string(keyID)]])
    }

    func apply(_ request: RequestEnvelope, decision: JSONValue, record: Record, views: ViewStore, in txn: borrowing Transaction) throws {
        guard let host = try decision.decided("host").stringValue, let number = try decision.decided("number").integerValue,
              let keyID = try decision.decided("key").stringValue
        else { throw malformed(record) }
        try views.delete(.hostKeys, hostKeyIndex(host, number), in: txn)
        try views.delete(.keys, keyID, in: txn)
    }
}
