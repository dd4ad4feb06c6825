import Ledger
import Signing

/// `list host macs <host>`, through the Airboss: the MACs of the VMs the owner's key reaches
/// through `host` (a virtual frontend: its whole cluster; any other VM: itself), with their
/// names. A read, and still appended: the nonce is spent, and the log shows who looked at
/// what. The decision holds the answer, so the receipt proves what the owner was told.
struct ListHostMACsOperation: Operation {
    static let op = "list host macs"
    var op: String { Self.op }

    func authorize(_ signer: KeyEntry, _ request: RequestEnvelope, views: ViewStore, in txn: borrowing Transaction) throws -> Authorization {
        let targets = try OwnerScope.targets(request, "host")
        guard targets.count == 1 else { throw DomainError("must supply only one host") }
        try checkStatus(request)
        switch try OwnerScope.resolve(targets, for: signer, views: views, in: txn) {
        case .success: return .allowed
        case .failure(let refusal): return .denied(refusal.reason)
        }
    }

    private func checkStatus(_ request: RequestEnvelope) throws(DomainError) {
        guard ["yes", "no", nil].contains(request.args["status"]) else { throw DomainError("status must be yes or no") }
    }

    func decide(_ request: RequestEnvelope, context: AppendContext, views: ViewStore, in txn: borrowing Transaction) throws -> JSONValue {
        let (text, target) = try OwnerScope.targets(request, "host")[0]
        guard let vm = try OwnerScope.vm(target, views: views, in: txn) else { throw DomainError("no VM named \(MessageText.quote(text))") }
        let (cluster, names) = try OwnerScope.cluster(of: vm, views: views, in: txn)
        var macs: [NamedMAC] = []
        for name in names {
            for interface in try InterfaceStore(views: views).interfaces(of: name, in: txn) {
                // The cluster's own network: its frontend's public NIC (VLAN 0) is not a cluster MAC.
                guard let mac = interface.mac, cluster == nil || interface.vlan == cluster?.vlan else { continue }
                macs.append(NamedMAC(mac: mac, name: name))
            }
        }
        return Decision(frontend: cluster?.frontend, macs: macs).json
    }

    /// One MAC and the VM holding it.
    struct NamedMAC: Sendable, Equatable {
        let mac: MACAddress
        let name: String
    }

    /// The answer: the cluster's frontend (none for a VM outside a cluster) and its MACs.
    struct Decision: Sendable {
        let frontend: String?
        let macs: [NamedMAC]

        var json: JSONValue {
            .object(JSONObject(omittingNilValues: [
                "frontend": frontend.map { .string($0) },
                "macs": .array(macs.map { ["mac": .string($0.mac.description), "name": .string($0.name)] }),
            ]))
        }

        init(frontend: String?, macs: [NamedMAC]) {
            self.frontend = frontend
            self.macs = macs
        }

        init(_ decision: FieldReader) throws {
            self.init(frontend: try decision.optionalString("frontend"),
                      macs: try decision.array("macs") { NamedMAC(mac: try $0.mac("mac"), name: try $0.string("name")) })
        }
    }

    /// Read to check the decision is one this build understands; a read changes no view.
    func prepare(_ record: Record) throws -> Decision { try FieldReader.read(record, Decision.init) }

    func fold(_ prepared: Decision, record: Record, into views: ViewStore, in txn: borrowing Transaction) throws {}

    func keysIntroduced(by record: Record) throws -> [PublicKey] { [] }

    func keysRevoked(by record: Record) throws -> [KeyID] { [] }
}
