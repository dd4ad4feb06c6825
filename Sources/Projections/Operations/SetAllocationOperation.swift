import Ledger
import Signing

/// `rocks set allocation <mark> <value>`: restores an allocation mark, as `rocks dump` does
/// at the end, so a replayed ledger continues where the original would. Marks only move the
/// safe way: the MAC high-water mark, key numbers and ranks only up (a MAC is never handed
/// out twice), the private-IP frontier anywhere in the private network (allocation still
/// skips addresses in use).
struct SetAllocationOperation: Operation {
    let op = "set allocation"

    func authorize(_ signer: KeyEntry, _ request: RequestEnvelope, views: ViewStore, in txn: borrowing Transaction) throws -> Authorization {
        .role(signer, in: [.admin], for: request)
    }

    func decide(_ request: RequestEnvelope, context: AppendContext, views: ViewStore, in txn: borrowing Transaction) throws -> JSONValue {
        let mark = try request.argument("mark", missing: "must supply a mark")
        let text = try request.argument("value", missing: "must supply a value")
        let settings = try views.settings(in: txn)
        let current = try views.get(.settings, mark, in: txn)?.integerValue
        let value: Int64
        switch mark {
        case Allocator.lastMACKey:
            guard let mac = MACAddress(text), settings.vmMACRange.contains(mac.value) else {
                throw DomainError("last-mac must be a MAC in the VM range")
            }
            value = Int64(mac.value)
        case Allocator.ipFrontierKey:
            guard let ip = IPv4Address(text), settings.privateSubnet.contains(ip) else {
                throw DomainError("private-ip-frontier must be an address in the private network")
            }
            value = Int64(ip.value)
        case AddHostKey.nextNumberKey:
            guard let number = Int64(text), number > 0 else { throw DomainError("\(mark) must be a positive integer") }
            value = number
        case let rank where rank.hasPrefix("highest-rank/"):
            guard let number = Int64(text), number >= 0 else { throw DomainError("\(mark) must be a non-negative integer") }
            value = number
        default:
            throw DomainError("unknown mark '\(mark)'; valid: last-mac, private-ip-frontier, next-host-key-number, highest-rank/<appliance>/<rack>")
        }
        if mark != Allocator.ipFrontierKey, let current, value < current {
            throw DomainError("\(mark) can only move up (it is \(current))")
        }
        return Decision(mark: mark, value: value).json
    }

    /// The mark and where it moves.
    struct Decision: Sendable {
        let mark: String
        let value: Int64

        var json: JSONValue { ["mark": .string(mark), "value": .integer(value)] }
    }

    func prepare(_ record: Record) throws -> Decision { try DecisionReader.read(record, Decision.init) }

    func fold(_ decision: Decision, record: Record, into views: ViewStore, in txn: borrowing Transaction) throws {
        try views.put(.settings, decision.mark, .integer(decision.value), in: txn)
    }

    func keysIntroduced(by record: Record) throws -> [PublicKey] { [] }

    func keysRevoked(by record: Record) throws -> [KeyID] { [] }
}

extension SetAllocationOperation.Decision {
    init(_ decision: DecisionReader) throws {
        self.init(mark: try decision.string("mark"), value: try decision.integer("value"))
    }
}
