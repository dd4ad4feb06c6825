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
            let range = settings.vmMACRange
            guard let mac = MACAddress(text.lowercased()), range.contains(mac.value) else {
                throw DomainError("last-mac must be a MAC in this frontend's VM range \(Self.shown(range.lowerBound, mark))–\(Self.shown(range.upperBound, mark)), not \(MessageText.quote(text))")
            }
            value = Int64(mac.value)
        case Allocator.ipFrontierKey:
            guard let ip = IPv4Address(text), settings.privateSubnet.contains(ip) else {
                throw DomainError("private-ip-frontier must be an address in the private network \(settings.privateSubnet.cidr), not \(MessageText.quote(text))")
            }
            value = Int64(ip.value)
        case AddHostKey.nextNumberKey:
            value = try WholeNumber(mark, 1...WholeNumber.largest).parse(text)
        case let rank where rank.hasPrefix("highest-rank/"):
            value = try WholeNumber.rank(mark).parse(text)
        default:
            throw DomainError("unknown mark \(MessageText.quote(mark)); valid: last-mac, private-ip-frontier, next-host-key-number, highest-rank/<appliance>/<rack>")
        }
        if mark != Allocator.ipFrontierKey, let current, value < current {
            throw DomainError("\(mark) can only move up (it is \(Self.shown(UInt64(current), mark)))")
        }
        return Decision(mark: mark, value: value).json
    }

    /// A mark's value as the operator writes it: a MAC for `last-mac`, an address for the
    /// frontier, else the number.
    private static func shown(_ value: UInt64, _ mark: String) -> String {
        switch mark {
        case Allocator.lastMACKey: MACAddress(value: value).map(\.description) ?? String(value)
        case Allocator.ipFrontierKey: IPv4Address(value: UInt32(truncatingIfNeeded: value)).description
        default: String(value)
        }
    }

    /// The mark and where it moves.
    struct Decision: Sendable {
        let mark: String
        let value: Int64

        var json: JSONValue { ["mark": .string(mark), "value": .integer(value)] }
    }

    func prepare(_ record: Record) throws -> Decision { try FieldReader.read(record, Decision.init) }

    func fold(_ decision: Decision, record: Record, into views: ViewStore, in txn: borrowing Transaction) throws {
        try views.put(.settings, decision.mark, .integer(decision.value), in: txn)
    }

    func keysIntroduced(by record: Record) throws -> [PublicKey] { [] }

    func keysRevoked(by record: Record) throws -> [KeyID] { [] }
}

extension SetAllocationOperation.Decision {
    init(_ decision: FieldReader) throws {
        self.init(mark: try decision.string("mark"), value: try decision.integer("value"))
    }
}
