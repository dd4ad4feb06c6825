/// A command's refusal, printed as one line `error - <message>` on stderr with exit status 1.
package struct CLIError: Error, Sendable, Equatable, CustomStringConvertible {
    package let message: String

    package init(_ message: String) { self.message = message }

    package var description: String { message }
}
