import Signing
import Testing

/// Key ids and nonces hold their bytes inline. Made from bytes, from text, or from text read
/// where it lies, the same value must be equal, hash alike and give its bytes and text back;
/// key ids must sort as their bytes do; a wrong length or a wrong spelling is refused.
@Suite struct FixedIdentifierTests {
    @Test func aKeyIDIsTheSameValueHoweverItIsMade() throws {
        var random = SystemRandomNumberGenerator()
        let ids = try (0..<64).map { _ in
            try #require(KeyID(bytes: (0..<KeyID.byteCount).map { _ in UInt8.random(in: .min ... .max, using: &random) }))
        }
        for id in ids {
            let parsed = try #require(KeyID(hex: id.hex))
            let sliced = try #require(KeyID(hex: ("x" + id.hex).dropFirst()))
            #expect(parsed == id && sliced == id)
            #expect(Set([id, parsed, sliced]).count == 1)
            #expect(parsed.bytes == id.bytes && parsed.hex == id.hex)
            #expect(id.withUnsafeBytes { Array($0) } == id.bytes)
        }
        // Byte order, which for equal lengths is the order of the hex text.
        #expect(ids.sorted().map(\.hex) == ids.map(\.hex).sorted())
        #expect(Set(ids).count == Set(ids.map(\.hex)).count)
    }

    @Test func aNonceIsTheSameValueHoweverItIsMade() throws {
        for _ in 0..<64 {
            let nonce = Nonce.random()
            let parsed = try #require(Nonce(text: nonce.text))
            #expect(parsed == nonce && parsed.hashValue == nonce.hashValue)
            #expect(parsed.bytes == nonce.bytes && parsed.text == nonce.text)
            #expect(nonce.withUnsafeBytes { Array($0) } == nonce.bytes)
        }
        let zeros = try #require(Nonce(bytes: [UInt8](repeating: 0, count: Nonce.byteCount)))
        #expect(Nonce(text: zeros.text) == zeros)
        #expect(zeros != Nonce(bytes: [UInt8](repeating: 0, count: Nonce.byteCount - 1) + [1]))
    }

    @Test func wrongLengthsAndSpellingsAreRefused() {
        let hex = String(repeating: "ab", count: KeyID.byteCount)
        #expect(KeyID(hex: hex) != nil)
        for text in [String(hex.dropLast(2)), hex + "ab", hex.uppercased(), String(hex.dropLast()) + "g", ""] {
            #expect(KeyID(hex: text) == nil, "\(text)")
        }
        #expect(KeyID(bytes: [UInt8](repeating: 1, count: KeyID.byteCount + 1)) == nil)
        #expect(KeyID(bytes: [UInt8](repeating: 1, count: KeyID.byteCount - 1)) == nil)
        let text = Nonce.random().text
        for wrong in [String(text.dropLast()), text + "A", String(text.dropLast()) + "!", ""] {
            #expect(Nonce(text: wrong) == nil, "\(wrong)")
        }
        #expect(Nonce(bytes: [UInt8](repeating: 1, count: Nonce.byteCount + 1)) == nil)
    }
}
