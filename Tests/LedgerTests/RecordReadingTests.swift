import Ledger
import Signing
import Testing
import TestSupport

/// A rebuild reads records with `.layoutAndDigest`: the layout, the digest, and of the request
/// only its op, key id and nonce. These tests pin what that read finds, what it refuses, and
/// what it leaves to the folds that ask for the whole request.
@Suite struct RecordReadingTests {
    /// `bytes` with the byte `offset` bytes past the first `pattern` replaced by `byte`, and
    /// the digest recomputed: damage a rebuild's digest check cannot see.
    private func forged(_ bytes: [UInt8], at pattern: String, offset: Int = 0, byte: Character) throws -> [UInt8] {
        let needle = Array(pattern.utf8)
        let start = try #require((0...(bytes.count - needle.count)).first { bytes[$0..<$0 + needle.count].elementsEqual(needle) })
        var forged = bytes
        forged[start + needle.count + offset] = byte.asciiValue!
        forged.replaceSubrange((forged.count - 32)..., with: SHA256.hash(Array(forged.prefix(forged.count - 32))))
        return forged
    }

    private func readForRebuild(_ bytes: [UInt8]) throws(LedgerError) -> Record {
        let read = bytes.withUnsafeBytes { raw in Result { () throws(LedgerError) in try Record(stored: raw, checks: .layoutAndDigest) } }
        return try read.get()
    }

    @Test func aRebuildReadFindsWhatTheFullReadFinds() throws {
        let test = try TestLedger()
        try test.fill(30, batch: 10)
        for sequence: UInt64 in 1...31 {
            let full = try #require(try test.ledger.record(sequence))
            let quick = try readForRebuild(full.bytes)
            #expect(quick.op == full.op)
            #expect(quick.nonce == full.nonce)
            #expect(quick.keyID == full.keyID)
            // Asked for, the whole request is parsed from the bytes, with every check.
            #expect(try quick.request.envelope == full.request.envelope)
            #expect(try quick.request.signature == full.request.signature)
            #expect(try quick.parsedDecision() == full.parsedDecision())
        }
    }

    // The key id is the 64 hex digits before `","ledger":"`, the only field after it.
    @Test(arguments: [("\"nonce\":\"", 0, "!"), ("\"op\":\"", 0, "A"), ("\",\"ledger\":\"", -12 - 64, "g")])
    func aRebuildReadRefusesAMalformedOpKeyOrNonce(pattern: String, offset: Int, byte: String) throws {
        let test = try TestLedger()
        try test.fill(3)
        let record = try #require(try test.ledger.record(3))
        let damaged = try forged(record.bytes, at: pattern, offset: offset, byte: Character(byte))
        do {
            _ = try readForRebuild(damaged)
            Issue.record("a request with a damaged \(pattern) was read")
        } catch {
            #expect(error.code == .corrupt)
            #expect(error.sequence == 3)
        }
    }

    /// Damage to a field a rebuild does not read passes its read, and is found, with the
    /// full parse's own message, by whatever asks for the request; `ledger verify` reads every
    /// record in full.
    @Test func theRestOfTheRequestIsCheckedWhenAsked() throws {
        let test = try TestLedger()
        try test.fill(3)
        let record = try #require(try test.ledger.record(3))
        let damaged = try forged(record.bytes, at: "\"expires\":\"", byte: "x")
        let quick = try readForRebuild(damaged)
        #expect(quick.op == record.op)
        #expect(throws: LedgerError.self) { try quick.request }
        #expect(throws: LedgerError.self) { try Record(stored: damaged) }
    }
}
