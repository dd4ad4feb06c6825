import Ledger
import Signing

/// `sync host network`: records a deployment of a container's or frontend's network files.
struct SyncHostNetworkOperation: Operation {
    let op = "sync host network"

    func authorize(_ signer: KeyEntry, _ request: RequestEnvelope, views: ViewStore, in txn: borrowing Transaction) throws -> Authorization {
        .role(signer, in: [.admin], for: request)
    }

    func decide(_ request: RequestEnvelope, context: AppendContext, views: ViewStore, in txn: borrowing Transaction) throws -> JSONValue {
        let deployment = try NetworkDeployment(request: request)
        let host = try HostResolver(views: views).resolveOne(deployment.host, in: txn)
        guard host.carriesBridges else { throw DomainError("\(host.name) is not a VM container or physical frontend") }
        return NetworkDeployment(host: host.name, root: deployment.root, files: deployment.files, links: deployment.links).decided
    }

    func prepare(_ record: Record) throws -> NetworkDeployment {
        var deployment = try FieldReader.read(record, NetworkDeployment.init(decided:))
        deployment.sequence = record.sequence
        return deployment
    }

    func fold(_ deployment: NetworkDeployment, record: Record, into views: ViewStore, in txn: borrowing Transaction) throws {
        try views.put(.networkDeployments, NetworkDeployment.key(deployment.host, deployment.root), deployment, in: txn)
    }

    func keysIntroduced(by record: Record) throws -> [PublicKey] { [] }

    func keysRevoked(by record: Record) throws -> [KeyID] { [] }
}
