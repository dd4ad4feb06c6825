import Signing

/// What a VM was seen doing when it differed from what the ledger wants: `record
/// observation`, signed by the frontend key, appended by `rocks sync host vm`. The log keeps
/// every observation; the `observations` view keeps the latest per VM.
public struct VMObservation: Sendable, Equatable {
    public static let states = ["on", "off", "paused", "unknown"]

    public let observed: String
    public let desired: String
    public var sequence: UInt64

    /// The `observations` row.
    var row: [UInt8] {
        var row = CanonicalObjectWriter()
        row.member("desired", desired)
        row.member("observed", observed)
        row.member("sequence", Int64(sequence))
        return row.finish()
    }

    init(observed: String, desired: String, sequence: UInt64) {
        self.observed = observed
        self.desired = desired
        self.sequence = sequence
    }

    init(row: FieldReader) throws {
        let desired = try row.string("desired"), observed = try row.string("observed"), sequence = try row.integer("sequence")
        self.init(observed: observed, desired: desired, sequence: UInt64(sequence))
    }
}
