import AirbossAPI
import Ledger
import Signing
import Testing
import TestSupport
import Transparency

/// A client believes a receipt only when its checkpoint's signature verifies with the pinned
/// frontend key, for the pinned ledger: the check verifies that signature once, with the proof.
@Suite struct ReceiptCheckTests {
    @Test func aReceiptIsBelievedOnlyWhenItsCheckpointIsSignedByThePinnedKey() throws {
        let home = try RocksHome.initialised()
        let ledger = try home.ledger()
        let frontendKey = ledger.genesis.frontendKey
        let proof = try #require(try ledger.inclusionProofs(sequences: [1]).first)
        #expect(try Receipt(parsing: proof.bytes).check(frontendKey: frontendKey, ledger: ledger.id).record.sequence == 1)

        #expect(throws: ReceiptError.self) { try Receipt(parsing: proof.bytes).check(frontendKey: try PrivateKey.generate().publicKey, ledger: ledger.id) }
        #expect(throws: ReceiptError.self) { try Receipt(parsing: proof.bytes).check(frontendKey: frontendKey, ledger: .random()) }

        // The same key id, one bit of the signature flipped.
        var lines = String(decoding: proof.bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let index = try #require(lines.lastIndex { $0.hasPrefix("\u{2014} ") })
        var fields = lines[index].split(separator: " ").map(String.init)
        var signature = try #require(Base64.decode(fields[2]))
        signature[signature.count - 1] ^= 1
        fields[2] = Base64.encode(signature)
        lines[index] = fields.joined(separator: " ")
        let forged = try Receipt(parsing: Array(lines.joined(separator: "\n").utf8))
        #expect(throws: ReceiptError.self) { try forged.check(frontendKey: frontendKey, ledger: ledger.id) }
    }
}
