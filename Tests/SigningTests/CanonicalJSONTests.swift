import Signing
import Testing
import TestSupport

@Suite struct CanonicalJSONTests {
    @Test func encodesWithSortedKeysNoWhitespaceAndMinimalEscapes() {
        let value: JSONValue = ["b": 1, "a": ["x", true, -7], "é": "line\nbreak \"quoted\" \\ / \u{1}", "B": false]
        let text = String(decoding: CanonicalJSON.encode(value), as: UTF8.self)
        #expect(text == #"{"B":false,"a":["x",true,-7],"b":1,"é":"line\nbreak \"quoted\" \\ / \u0001"}"#)
    }

    @Test func keysSortByUTF16CodeUnitsAsRFC8785Says() {
        // U+1F600 is a surrogate pair starting 0xD83D, which sorts before U+FB33 (0xFB33) in
        // UTF-16 even though its scalar value is larger.
        let value: JSONValue = ["\u{FB33}": 1, "\u{1F600}": 2]
        #expect(String(decoding: CanonicalJSON.encode(value), as: UTF8.self) == "{\"\u{1F600}\":2,\"\u{FB33}\":1}")
    }

    @Test func keyOrderMatchesUTF16OrderForMixedScalars() throws {
        // Scalars on both sides of every boundary the byte comparison cares about.
        let scalars: [Unicode.Scalar] = ["a", "z", "\u{7F}", "\u{80}", "\u{7FF}", "\u{800}", "\u{D7FF}", "\u{E000}",
                                         "\u{FB33}", "\u{FFFF}", "\u{10000}", "\u{1F600}", "\u{10FFFF}"]
        var random = SeededGenerator(state: 8785)
        for _ in 0..<500 {
            var object: JSONObject = [:]
            for _ in 0..<6 {
                let length = Int.random(in: 0...3, using: &random)
                object[String(String.UnicodeScalarView((0..<length).map { _ in scalars.randomElement(using: &random)! }))] = true
            }
            let decoded = try CanonicalJSON.decode(CanonicalJSON.encode(.object(object)))
            let expected = object.keys.sorted { $0.utf16.lexicographicallyPrecedes($1.utf16) }
            var order: [String] = []
            // The encoder's order, read back from the text: keys appear in the order written.
            let text = String(decoding: CanonicalJSON.encode(decoded), as: UTF8.self)
            var rest = Substring(text)
            for key in expected {
                let quoted = String(decoding: CanonicalJSON.encode(.string(key)), as: UTF8.self) + ":"
                guard let range = rest.range(of: quoted) else { break }
                order.append(key)
                rest = rest[range.upperBound...]
            }
            #expect(order == expected, "\(text)")
        }
    }

    @Test func decodeRoundTripsCanonicalBytes() throws {
        let bytes = Array(#"{"args":{"host":"espresso"},"n":9007199254740991,"ok":true}"#.utf8)
        let value = try CanonicalJSON.decode(bytes)
        #expect(value["n"]?.integerValue == 9_007_199_254_740_991)
        #expect(CanonicalJSON.encode(value) == bytes)
    }

    @Test(arguments: [
        #"{"a":1, "b":2}"#,        // whitespace
        #"{"b":1,"a":2}"#,         // unsorted keys
        #"{"a":1,"a":1}"#,         // duplicate key
        #"{"a":1.5}"#,             // float
        #"{"a":1e3}"#,             // exponent
        #"{"a":null}"#,            // null
        #"{"a":9007199254740992}"#, // beyond 2^53 - 1
        #"{"a":"\u0041"}"#,        // escape JCS would not write
        #"{"a":"\/"}"#,            // escaped slash
        #"{"a":"\ud800"}"#,        // lone surrogate
        #"{"a":01}"#,              // leading zero
        #"{"a":1}x"#,              // trailing bytes
        "",
    ])
    func refusesAnythingNotAlreadyCanonical(text: String) {
        #expect(throws: SigningError(.nonCanonicalJSON, "")) { try CanonicalJSON.decode(Array(text.utf8)) }
    }

    @Test func refusesInvalidUTF8() {
        let bytes: [UInt8] = Array(#"{"a":""#.utf8) + [0xff, 0xfe] + Array(#""}"#.utf8)
        #expect(throws: SigningError(.nonCanonicalJSON, "")) { try CanonicalJSON.decode(bytes) }
    }

    /// The parser reads a string's text eight bytes at a time: what needs undoing (an escape)
    /// or refusing (a raw control byte, invalid UTF-8) must be found in any lane of a word and
    /// in the bytes after the last whole word.
    @Test func stringsWithEscapesAndNonASCIIAnywhereRoundTrip() throws {
        let pieces = ["a", "Z", "7", " ", "\"", "\\", "/", "\n", "\u{1}", "\u{1F}", "\u{7F}", "é", "€", "😀"]
        var random = SeededGenerator(state: 0x5eed)
        for _ in 0..<2000 {
            let text = (0..<Int.random(in: 0...40, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
            let bytes = CanonicalJSON.encode(["text": .string(text)])
            #expect(try CanonicalJSON.decode(bytes)["text"]?.stringValue == text, "\(text.debugDescription)")
            #expect(try CanonicalJSON.decodeTrusted(bytes)["text"]?.stringValue == text, "\(text.debugDescription)")
        }
    }

    /// The row writer and the tree encoder are two writers of one form: held to the same bytes
    /// over escapes, integers to both ends of Int64, nesting and rows longer than the first buffer.
    @Test func theObjectWriterWritesWhatTheEncoderWrites() throws {
        let pieces = ["a", "compute-0-1-7", "\"", "\\", "\n", "\u{1}", "é", "😀", String(repeating: "x", count: 300)]
        var random = SeededGenerator(state: 0x3ea7)
        for _ in 0..<500 {
            let text = (0..<Int.random(in: 0...6, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
            let numbers = [Int64.min, Int64.max, -1, 0, 9, 10, Int64.random(in: .min ... .max, using: &random)]
            let number = numbers.randomElement(using: &random)!
            let names = (0..<Int.random(in: 0...3, using: &random)).map { _ in pieces.randomElement(using: &random)! }
            let maybe: String? = Bool.random(using: &random) ? text : nil
            var writer = CanonicalObjectWriter(capacity: 16)
            writer.member("a", maybe)
            writer.member("b", number)
            writer.member("c", objects: 2) { index, object in
                object.member("n", Int64(index))
                object.member("o", object: { $0.member("t", text) })
            }
            writer.member("d", strings: names)
            writer.member("e", true)
            let tree: JSONValue = .object(JSONObject(omittingNilValues: [
                "a": maybe.map { .string($0) }, "b": .integer(number),
                "c": .array([0, 1].map { ["n": .integer($0), "o": ["t": .string(text)]] }),
                "d": .array(names.map { .string($0) }), "e": true,
            ]))
            #expect(writer.finish() == CanonicalJSON.encode(tree), "\(text.debugDescription) \(number)")
        }
    }

    @Test(arguments: [0, 3, 7, 8, 9, 15, 16, 21])
    func refusesARawControlByteOrBadUTF8AtAnyOffset(offset: Int) {
        let before = Array(#"{"a":""#.utf8) + Array(repeating: UInt8(ascii: "x"), count: offset)
        let after = Array(repeating: UInt8(ascii: "y"), count: 11) + Array(#""}"#.utf8)
        for bad: [UInt8] in [[0x01], [0x0a], [0x1f], [0xff], [0xc3]] {
            #expect(throws: SigningError(.nonCanonicalJSON, "")) { try CanonicalJSON.decodeTrusted(before + bad + after) }
        }
    }

    @Test func refusesDeepNesting() {
        let deep = String(repeating: "[", count: 40) + String(repeating: "]", count: 40)
        #expect(throws: SigningError(.nonCanonicalJSON, "")) { try CanonicalJSON.decode(Array(deep.utf8)) }
    }
}
