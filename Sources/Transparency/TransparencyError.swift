/// An error from the Merkle tree, a signed note, a checkpoint or a proof.
///
/// Errors compare by ``code`` only, so tests name the failure they expect without depending
/// on the wording of the message, which is written for the person reading it.
public struct TransparencyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, as a stable name. Open-ended, so new codes do not break callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        public var description: String { name }

        /// Arguments outside what the tree allows (an index not below the size, m > n).
        public static let invalidArgument = Code(name: "invalidArgument")
        /// A proof does not prove what it claims: wrong length, wrong hashes, wrong sizes.
        public static let proofRejected = Code(name: "proofRejected")
        /// The source of stored complete-subtree hashes could not supply one.
        public static let unreadableNode = Code(name: "unreadableNode")
        /// The bytes are not a signed note, checkpoint, verifier key or proof file.
        public static let malformed = Code(name: "malformed")
        /// The input is larger than the reader accepts.
        public static let tooLarge = Code(name: "tooLarge")
        /// No signature by a trusted key verifies, or one by a trusted key fails.
        public static let signatureRejected = Code(name: "signatureRejected")
        /// The key cannot sign or verify notes (not Ed25519), or its name is not allowed.
        public static let unsupportedKey = Code(name: "unsupportedKey")
        /// Two checkpoints that cannot both be from one append-only log.
        public static let fork = Code(name: "fork")
        /// A checkpoint is from another log than the one expected.
        public static let wrongOrigin = Code(name: "wrongOrigin")
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    public static func == (lhs: TransparencyError, rhs: TransparencyError) -> Bool { lhs.code == rhs.code }
}
