import Signing

/// What a VM should be doing, as the last `start host vm` or `stop host vm` said, and the
/// console its last start reported.
public struct VMPower: Sendable, Equatable {
    public enum State: String, Sendable {
        case on, off
    }

    public var desired: State
    /// The record that asked for it.
    public var sequence: UInt64
    /// `address:port` of the VNC console, once a start has succeeded.
    public var console: String?

    /// The `power` row.
    var row: [UInt8] {
        var row = CanonicalObjectWriter()
        row.member("console", console)
        row.member("desired", desired.rawValue)
        row.member("sequence", Int64(sequence))
        return row.finish()
    }

    init(desired: State, sequence: UInt64, console: String? = nil) {
        self.desired = desired
        self.sequence = sequence
        self.console = console
    }

    init(row: FieldReader) throws {
        let console = try row.optionalString("console"), desired = try row.string("desired", as: "a power state", State.init)
        self.init(desired: desired, sequence: UInt64(try row.integer("sequence")), console: console)
    }
}
