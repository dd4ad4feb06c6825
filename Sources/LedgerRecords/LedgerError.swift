import Signing

/// An error from the ledger: refused requests, damaged records, misuse.
///
/// Errors compare by ``code`` only. ``sequence`` names the record a verification failure
/// was found in, so an auditor knows where to look.
public struct LedgerError: Error, Sendable, Equatable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        public var description: String { name }

        public static let noLedger = Code(name: "noLedger")
        public static let ledgerExists = Code(name: "ledgerExists")
        public static let unknownKey = Code(name: "unknownKey")
        public static let badSignature = Code(name: "badSignature")
        public static let wrongLedger = Code(name: "wrongLedger")
        public static let expired = Code(name: "expired")
        public static let replayedNonce = Code(name: "replayedNonce")
        public static let keyNotInForce = Code(name: "keyNotInForce")
        public static let staleHead = Code(name: "staleHead")
        public static let tooLarge = Code(name: "tooLarge")
        /// A stored record or checkpoint fails verification.
        public static let corrupt = Code(name: "corrupt")
        /// The log is shorter than, or forked from, a checkpoint given to verify.
        public static let truncated = Code(name: "truncated")
        public static let malformedCheckpoint = Code(name: "malformedCheckpoint")
        public static let storage = Code(name: "storage")
        /// The environment cannot be read as a ledger: not an LMDB file, or a ledger's parts missing.
        public static let damaged = Code(name: "damaged")
    }

    public let code: Code
    public let message: String
    /// The sequence number of the record at fault, when there is one.
    public let sequence: UInt64?

    public init(_ code: Code, _ message: String, sequence: UInt64? = nil) {
        self.code = code
        self.message = message
        self.sequence = sequence
    }

    package static func corrupt(_ sequence: UInt64, _ reason: String) -> LedgerError {
        LedgerError(.corrupt, "record \(sequence): \(reason)", sequence: sequence)
    }

    /// A ledger that is there but cannot be read as one. The keys stay: a backup of the
    /// environment needs them, and a dump replayed into a new ROCKS_HOME gets its own.
    package static func damaged(_ directory: String, _ reason: String) -> LedgerError {
        LedgerError(.damaged, "the ledger at \(directory) is damaged (\(reason)): restore its data.mdb from a backup, "
                              + "keeping keys/, or replay the last 'rocks dump' into a new ROCKS_HOME")
    }

    public var description: String { message }

    public static func == (lhs: LedgerError, rhs: LedgerError) -> Bool { lhs.code == rhs.code }
}
