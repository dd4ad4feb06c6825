import Ledger
import Signing

/// A projection with one operation, `bench append`, allowed to the admin key, deciding `{}`
/// and keeping one view row per record. It lets the benchmark size records exactly (512
/// bytes) while every ledger step still runs: key-in-force lookup, signature check, nonce,
/// freshness, record layout and read-back assertion, checkpoint signature, durable commit.
struct BenchProjection: LedgerProjection {
    let admin: PublicKey
    var viewNames: [String] { ["bench-keys", "bench-rows"] }

    func keyInForce(_ id: KeyID, in txn: borrowing Transaction, environment: LMDBEnvironment) throws -> PublicKey? {
        try txn.get(environment.database("bench-keys"), id.bytes) == nil ? nil : admin
    }

    func decide(_ request: SignedRequest, context: AppendContext, in txn: borrowing Transaction, environment: LMDBEnvironment) throws -> JSONValue {
        [:]
    }

    func prepare(_ record: Record) throws {}

    func fold(_ prepared: Void, record: Record, in txn: borrowing Transaction, environment: LMDBEnvironment) throws {
        if record.sequence == 1 {
            try txn.put(environment.database("bench-keys"), admin.id.bytes, [1])
        } else {
            try txn.put(environment.database("bench-rows"), Array(record.nonce.bytes), [UInt8(truncatingIfNeeded: record.sequence)])
        }
    }

    func keysIntroduced(by record: Record) -> [PublicKey] { record.sequence == 1 ? [admin] : [] }

    func keysRevoked(by record: Record) -> [KeyID] { [] }
}
