import Signing

/// The last record of the log.
public struct Head: Sendable, Equatable, CustomStringConvertible {
    public let sequence: UInt64
    public let digest: [UInt8]
    public let time: Timestamp

    public var description: String { "\(sequence) \(Hex.encode(digest))" }
}

/// What an append reports for one request.
public struct Appended: Sendable {
    public let sequence: UInt64
    public let digest: [UInt8]
    public let decision: JSONValue
    /// The record as stored.
    public let record: Record
    /// Why the request was refused, when it was recorded as denied.
    public var denial: String? { decision["denied"]?.stringValue }
}
