/// A request the domain refuses before anything is appended: unknown host, malformed value,
/// a name already taken. The message is what the operator sees after `error - `.
public struct DomainError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
