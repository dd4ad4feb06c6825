import Signing
import Testing
import TestSupport

@Suite struct JSONObjectTests {
    /// Keys on both sides of the boundaries where UTF-16 order and byte order differ, and
    /// enough of them that objects outgrow the linear lookup.
    static let keyPool: [String] = (0..<30).map { "k\($0)" } + ["", "a", "B", "\u{FB33}", "\u{1F600}", "\u{E000}", "\u{FFFF}", "é"]

    static func isInCanonicalOrder(_ object: JSONObject) -> Bool {
        zip(object.keys, object.keys.dropFirst()).allSatisfy { $0.utf16.lexicographicallyPrecedes($1.utf16) }
    }

    @Test func behavesLikeADictionaryUnderRandomEdits() {
        var random = SeededGenerator(state: 2025)
        for _ in 0..<200 {
            var object = JSONObject()
            var model: [String: JSONValue] = [:]
            for step in 0..<Int.random(in: 1...80, using: &random) {
                let key = Self.keyPool.randomElement(using: &random)!
                if Bool.random(using: &random) || model.count < 3 {
                    object[key] = .integer(Int64(step))
                    model[key] = .integer(Int64(step))
                } else {
                    #expect(object.removeValue(forKey: key) == model.removeValue(forKey: key))
                }
            }
            #expect(object.count == model.count)
            #expect(Self.isInCanonicalOrder(object), "\(object.keys)")
            for key in Self.keyPool { #expect(object[key] == model[key], "key \(key) of \(object.keys)") }
            #expect(object == JSONObject(model), "the same members in any history make equal objects")
        }
    }

    /// Nil values are left out, and the members come out in canonical order whatever order
    /// the literal lists them in.
    @Test func omittingNilValuesKeepsThePresentMembersInCanonicalOrder() {
        let missing: JSONValue? = nil
        let written = JSONObject(omittingNilValues: ["b": .integer(2), "gone": missing, "a": .string("x"), "\u{1F600}": .bool(true)])
        #expect(written.keys == ["a", "b", "\u{1F600}"])
        #expect(written == JSONObject(["a": .string("x"), "b": .integer(2), "\u{1F600}": .bool(true)]))
        #expect(JSONObject(omittingNilValues: ["only": missing]).isEmpty)
    }

    /// JSON compares keys by their bytes: two spellings of one character, which Swift's `==`
    /// calls equal (é precomposed, and e with a combining acute accent), are two keys.
    @Test func keysEqualToSwiftButNotInBytesAreTwoKeys() throws {
        let precomposed = "\u{E9}", decomposed = "e\u{301}"
        #expect(precomposed == decomposed, "the premise: Swift equates the two spellings")
        var object = JSONObject()
        object[precomposed] = .integer(1)
        object[decomposed] = .integer(2)
        #expect(object.count == 2)
        #expect(object[precomposed] == .integer(1))
        #expect(object[decomposed] == .integer(2))
        let literal: JSONObject = [decomposed: .integer(2), precomposed: .integer(1)]
        #expect(literal.count == 2)
        // Canonical JSON holding both is valid, not a duplicate key.
        let decoded = try #require(try CanonicalJSON.decode(CanonicalJSON.encode(.object(object))).objectValue)
        #expect(decoded.count == 2)
        #expect(decoded[decomposed] == .integer(2))
    }

    @Test func parsingPlacesKeysOutOfOrderAndNamesADuplicateAnywhere() throws {
        // Out of order: the trusted reader still gives a usable object, the strict one refuses.
        let members = Self.keyPool.reversed().enumerated().map { "\(String(decoding: CanonicalJSON.encode(.string($1)), as: UTF8.self)):\($0)" }
        let unsorted = Array(("{" + members.joined(separator: ",") + "}").utf8)
        let parsed = try #require(try CanonicalJSON.decodeTrusted(unsorted).objectValue)
        #expect(parsed.count == Self.keyPool.count)
        #expect(Self.isInCanonicalOrder(parsed))
        #expect(parsed["k0"] == .integer(Int64(Self.keyPool.count - 1)))
        #expect(throws: SigningError(.nonCanonicalJSON, "")) { try CanonicalJSON.decode(unsorted) }

        // A duplicate that is not next to its twin, in sorted and in unsorted input.
        for text in [#"{"a":1,"b":2,"a":3}"#, #"{"b":1,"a":2,"b":3}"#] {
            #expect {
                try CanonicalJSON.decodeTrusted(Array(text.utf8))
            } throws: { error in
                "\(error)".contains("duplicate key")
            }
        }
    }
}
