/// A command's refusal, printed as one line `error - <message>` on stderr with exit status 1.
public struct CLIError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
