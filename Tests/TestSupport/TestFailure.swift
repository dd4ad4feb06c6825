/// A test's own step failed (a helper process, a socket, a state it needed): thrown with the
/// one line that says which and why.
public struct TestFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
