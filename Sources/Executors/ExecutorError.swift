/// Why an effect could not be carried out, in one line that names the VM and the container
/// and quotes libvirt where libvirt refused.
public struct ExecutorError: Error, Sendable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
