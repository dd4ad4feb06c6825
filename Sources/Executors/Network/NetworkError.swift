/// A network configuration that cannot be generated, written or applied, with the reason.
public struct NetworkError: Error, Sendable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
