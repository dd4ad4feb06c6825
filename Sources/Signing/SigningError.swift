/// An error from key handling, signing or request parsing.
///
/// Errors compare by ``code`` only, so tests name the failure they expect without
/// depending on the wording of the message.
public struct SigningError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, as a stable name. Open-ended, so new codes do not break callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        public var description: String { name }

        /// The key uses an algorithm or size this project refuses (RSA under 2048 bits, SHA-1).
        public static let weakKey = Code(name: "weakKey")
        /// The key is of a type we do not sign with (DSA, EC, ...).
        public static let unsupportedKey = Code(name: "unsupportedKey")
        /// The PEM or DER text is not a key.
        public static let malformedKey = Code(name: "malformedKey")
        /// The key is encrypted and no passphrase was given.
        public static let passphraseRequired = Code(name: "passphraseRequired")
        /// The passphrase does not decrypt the key.
        public static let wrongPassphrase = Code(name: "wrongPassphrase")
        /// The signature algorithm is unknown, refused, or does not fit the key.
        public static let unsupportedAlgorithm = Code(name: "unsupportedAlgorithm")
        /// OpenSSL failed where it should not (allocation, random source).
        public static let openSSLFailure = Code(name: "openSSLFailure")
        /// The bytes are not canonical JSON as RFC 8785 writes it.
        public static let nonCanonicalJSON = Code(name: "nonCanonicalJSON")
        /// The JSON is well formed but is not a valid request envelope.
        public static let malformedRequest = Code(name: "malformedRequest")
        /// The request's validity window does not contain the current time.
        public static let requestNotCurrent = Code(name: "requestNotCurrent")
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    public static func == (lhs: SigningError, rhs: SigningError) -> Bool { lhs.code == rhs.code }
}
