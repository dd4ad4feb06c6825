import InPlaceJSON
import Signing
import Testing
import TestSupport

@Suite struct JSONBytesTests {
    /// Calls `body` with `value`'s canonical bytes as a `JSONBytes`, twice: read as they lie,
    /// and indexed, which must find exactly the same.
    private func reading(_ value: JSONValue, _ body: (JSONBytes) throws -> Void) rethrows {
        try CanonicalJSON.encode(value).withUnsafeBytes { raw in
            try body(JSONBytes(raw))
            try JSONBytes.indexed(raw, body)
        }
    }

    @Test func membersAreFoundPastValuesThatLookLikeStructure() {
        let value: JSONValue = [
            "a": ["text": "} ] , \" { [ \\", "list": [[1, 2], ["]"], [:]], "n": -12],
            "b": "x\"y",
            "c": true,
            "d": [],
            "vm": ["name": "compute-0-0-1", "slice": 3],
        ]
        reading(value) { stored in
            #expect(stored["a"]?.raw.elementsEqual(CanonicalJSON.encode(value["a"]!)) == true)
            #expect(stored["b"]?.stringValue == "x\"y")
            #expect(stored["c"]?.boolValue == true)
            #expect(stored["d"]?.elementSequence.map { Array($0) }?.count == 0)
            #expect(stored["vm"]?["name"]?.stringValue == "compute-0-0-1")
            #expect(stored["vm"]?["slice"]?.integerValue == 3)
            #expect(stored["a"]?["n"]?.integerValue == -12)
            #expect(stored["a"]?["list"]?.elementSequence.map { $0.map { Array($0.raw) } } == [Array("[1,2]".utf8), Array(#"["]"]"#.utf8), Array("{}".utf8)])
            #expect(stored["e"] == nil)
            #expect(stored["vm"]?["missing"] == nil)
            // Asking a value for what it is not gives nil, not a wrong answer.
            #expect(stored["c"]?.integerValue == nil)
            #expect(stored["b"]?.integerValue == nil)
            #expect(stored["vm"]?.stringValue == nil)
            #expect(stored["b"]?["name"] == nil)
            #expect(stored["b"]?.elementSequence == nil)
        }
        // An array that does not close is refused whole, before any element is given.
        for text in ["[1,2", "[1,2]x", "[\"x]", "[{\"a\":1]"] {
            Array(text.utf8).withUnsafeBytes { raw in
                #expect(JSONBytes(raw).elementSequence == nil, "\(text)")
                #expect(JSONBytes(raw).elementSequence == nil, "\(text)")
            }
        }
    }

    /// Every member of random objects, found in place, is exactly the canonical encoding of
    /// the member the parser finds: the rows a fold copies out of a decision are the rows
    /// it would have encoded.
    @Test func membersInPlaceEqualTheEncodedMembers() {
        var random = SeededGenerator(state: 2026)
        func randomValue(_ depth: Int) -> JSONValue {
            switch Int.random(in: 0..<(depth > 2 ? 3 : 5), using: &random) {
            case 0: return .string(["", "plain", "with \"quotes\"", "back\\slash", "é😀", "}]{[,:"].randomElement(using: &random)!)
            case 1: return .integer(Int64.random(in: -JSONValue.maximumInteger...JSONValue.maximumInteger, using: &random))
            case 2: return .bool(Bool.random(using: &random))
            case 3: return .array((0..<Int.random(in: 0...3, using: &random)).map { _ in randomValue(depth + 1) })
            default: return .object(object(depth + 1))
            }
        }
        func object(_ depth: Int) -> JSONObject {
            var object = JSONObject()
            for key in ["a", "b", "host", "vm", "vms"] where Bool.random(using: &random) { object[key] = randomValue(depth) }
            return object
        }
        for _ in 0..<1000 {
            let value = JSONValue.object(object(0))
            reading(value) { stored in
                let found: [(String, JSONBytes?)] = [("a", stored["a"]), ("b", stored["b"]), ("host", stored["host"]), ("vm", stored["vm"]),
                                                     ("vms", stored["vms"])]
                for (key, member) in found {
                    #expect(member.map { Array($0.raw) } == value[key].map(CanonicalJSON.encode), "\(key) in \(value)")
                    if let member { #expect(member.value == value[key]) }
                }
                // Lookups in any order find the same, and walked member by member the object
                // gives each member once, in order, and ends exactly at the last one.
                for key in ["vms", "a", "vm", "host", "b"] {
                    #expect(stored[key].map { Array($0.raw) } == value[key].map(CanonicalJSON.encode), "\(key) in \(value)")
                }
                // One resumed cursor, asked in canonical order, in reverse and shuffled, finds
                // what each lookup from the start finds.
                let keys: [StaticString] = ["a", "b", "host", "vm", "vms"]
                for order in [keys, keys.reversed(), keys.shuffled(using: &random)] {
                    var cursor: JSONBytes.Members?
                    for key in order {
                        let name = key.description
                        #expect(stored.member(key, resuming: &cursor).map { Array($0.raw) } == value[name].map(CanonicalJSON.encode),
                                "\(name) in \(value)")
                    }
                }
                var sequence = stored.members
                for key in value.objectValue!.map(\.key) {
                    let next = sequence.next()
                    #expect(next.map { String(decoding: $0.key, as: UTF8.self) } == key)
                    #expect(next.map { Array($0.value.raw) } == value[key].map(CanonicalJSON.encode))
                }
                #expect(sequence.next() == nil)
                #expect(sequence.isAtEnd)
            }
        }
    }

    @Test func aWalkEndsOnlyAtTheEndOfAWellFormedObject() {
        reading(["alg": "ed25519", "args": [:], "v": 1]) { stored in
            var member = stored.members
            #expect(member.next()?.value.stringValue == "ed25519")
            #expect(member.next()?.value.raw.count == 2)
            #expect(!member.isAtEnd)
            #expect(member.next()?.value.integerValue == 1)
            #expect(member.isAtEnd)
            #expect(member.next() == nil)
        }
        for text in ["[1]", "\"x\"", "{\"a\":1,}", "{\"a\":1}x", "{\"a\" 1}", "{\"a\":[1}", "{\"a\":\"x}"] {
            Array(text.utf8).withUnsafeBytes { raw in
                func check(_ stored: JSONBytes) {
                    var member = stored.members
                    while member.next() != nil {}
                    #expect(!member.isAtEnd, "not a well-formed object: \(text)")
                }
                check(JSONBytes(raw))
                JSONBytes.indexed(raw, check)
            }
        }
        Array("{}".utf8).withUnsafeBytes { raw in #expect(JSONBytes(raw).members.isAtEnd) }
    }

    /// Index tables are lent from a buffer each thread keeps. A document indexed inside the
    /// reading of another, one too long for the kept buffer, and one read after a longer one
    /// (whose table filled more of the buffer) must each find what reading in place finds.
    @Test func indexTablesLentAgainOrNestedReadTheirOwnDocument() {
        let outer: JSONValue = ["a": ["b": ["c": "outer"]], "z": [1, 2, 3]]
        let inner: JSONValue = ["a": "} inner {", "b": [["c": 1]]]
        let long = JSONValue.object(JSONObject(Dictionary(uniqueKeysWithValues: (0..<2000).map { ("k\($0)", JSONValue.object(JSONObject(["v": .integer(Int64($0))]))) })))
        CanonicalJSON.encode(outer).withUnsafeBytes { outerRaw in
            JSONBytes.indexed(outerRaw) { stored in
                CanonicalJSON.encode(inner).withUnsafeBytes { innerRaw in
                    JSONBytes.indexed(innerRaw) { nested in
                        #expect(nested["a"]?.stringValue == "} inner {")
                        #expect(nested["b"]?.elementSequence.flatMap { Array($0).first }?["c"]?.integerValue == 1)
                    }
                }
                #expect(stored["a"]?["b"]?["c"]?.stringValue == "outer")
                #expect(stored["z"]?.elementSequence.map { Array($0) }?.count == 3)
            }
        }
        let longBytes = CanonicalJSON.encode(long)
        #expect(longBytes.count > 16 * 1024)
        for value in [long, inner, outer, long, outer] {
            CanonicalJSON.encode(value).withUnsafeBytes { raw in
                JSONBytes.indexed(raw) { stored in
                    var found: [String] = []
                    var members = stored.members
                    while let (key, value) = members.next() {
                        found.append(String(decoding: key, as: UTF8.self) + "=" + String(decoding: value.raw, as: UTF8.self))
                    }
                    var expected: [String] = []
                    var unindexed = JSONBytes(raw).members
                    while let (key, value) = unindexed.next() {
                        expected.append(String(decoding: key, as: UTF8.self) + "=" + String(decoding: value.raw, as: UTF8.self))
                    }
                    #expect(found == expected)
                    #expect(found.count == value.objectValue?.count)
                }
            }
        }
    }
}
