#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A strict JSON reader for ``CanonicalJSON/decode(_:maximumDepth:)``.
///
/// It accepts ordinary JSON spelling (whitespace, any escape) so that the canonical-form
/// check after it can give the precise reason for a refusal; it refuses outright what
/// ``JSONValue`` cannot hold (floats, exponents, null, integers beyond 2^53) and duplicate keys.
struct CanonicalJSONParser {
    /// Valid for the parser's lifetime: the caller's array, or a value in LMDB's map.
    let bytes: UnsafeRawBufferPointer
    let maximumDepth: Int
    var index = 0
    /// The members and elements of the objects and arrays being read, innermost last: each
    /// one is copied out once, at its exact size, when it closes, instead of growing its own
    /// array a few times on the way.
    private var openMembers: [JSONObject.Member] = []
    private var openElements: [JSONValue] = []

    init(bytes: UnsafeRawBufferPointer, maximumDepth: Int) {
        self.bytes = bytes
        self.maximumDepth = maximumDepth
    }

    mutating func parseDocument() throws(SigningError) -> JSONValue {
        let value = try parseValue(depth: 0)
        skipWhitespace()
        guard index == bytes.count else { throw failure("trailing bytes after the JSON value") }
        return value
    }

    private func failure(_ reason: String) -> SigningError {
        SigningError(.nonCanonicalJSON, "invalid JSON at byte \(index): \(reason)")
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0a, 0x0d: index += 1
            default: return
            }
        }
    }

    /// Steps over `byte`, or fails naming it.
    private mutating func expect(byte: UInt8) throws(SigningError) {
        guard index < bytes.count, bytes[index] == byte else { throw failure("expected '\(Character(Unicode.Scalar(byte)))'") }
        index += 1
    }

    private mutating func expect(_ literal: String) throws(SigningError) {
        let expected = Array(literal.utf8)
        guard bytes.count - index >= expected.count, bytes[index..<(index + expected.count)].elementsEqual(expected) else {
            throw failure("expected '\(literal)'")
        }
        index += expected.count
    }

    private mutating func parseValue(depth: Int) throws(SigningError) -> JSONValue {
        guard depth <= maximumDepth else { throw failure("nested deeper than \(maximumDepth) levels") }
        skipWhitespace()
        guard index < bytes.count else { throw failure("unexpected end of input") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject(depth: depth)
        case UInt8(ascii: "["): return try parseArray(depth: depth)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expect("true"); return .bool(true)
        case UInt8(ascii: "f"): try expect("false"); return .bool(false)
        case UInt8(ascii: "n"): throw failure("null is not allowed; leave the key out instead")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .integer(try parseInteger())
        default: throw failure("unexpected character")
        }
    }

    private mutating func parseObject(depth: Int) throws(SigningError) -> JSONValue {
        index += 1
        // Canonical input comes sorted, so members are appended in order; keys out of order
        // (which `decode` then refuses as non-canonical) are sorted once at the end, which
        // keeps a hostile object of thousands of keys at n log n.
        let base = openMembers.count
        defer { openMembers.removeLast(openMembers.count - base) }
        var inOrder = true
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return .object(JSONObject())
        }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw failure("expected a string key") }
            let key = try parseString()
            skipWhitespace()
            try expect(byte: UInt8(ascii: ":"))
            let value = try parseValue(depth: depth + 1)
            // A repeated key is never in order, so the check below always finds it.
            if inOrder, openMembers.count > base { inOrder = CanonicalJSON.precedesInUTF16Order(openMembers[openMembers.count - 1].key, key) }
            openMembers.append(JSONObject.Member(key: key, value: value))
            skipWhitespace()
            guard index < bytes.count else { throw failure("unexpected end of input in an object") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "}") {
                index += 1
                let members = Array(openMembers[base...])
                guard !inOrder else { return .object(JSONObject(orderedMembers: members)) }
                let (sorted, repeatedKey) = JSONObject.canonicalOrder(members)
                if let repeatedKey { throw failure("duplicate key \"\(repeatedKey)\"") }
                return .object(JSONObject(orderedMembers: sorted))
            }
            throw failure("expected ',' or '}'")
        }
    }

    private mutating func parseArray(depth: Int) throws(SigningError) -> JSONValue {
        index += 1
        let base = openElements.count
        defer { openElements.removeLast(openElements.count - base) }
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return .array([])
        }
        while true {
            openElements.append(try parseValue(depth: depth + 1))
            skipWhitespace()
            guard index < bytes.count else { throw failure("unexpected end of input in an array") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "]") { index += 1; return .array(Array(openElements[base...])) }
            throw failure("expected ',' or ']'")
        }
    }

    private mutating func parseInteger() throws(SigningError) -> Int64 {
        let start = index
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        let digitsStart = index
        while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") { index += 1 }
        guard index > digitsStart else { throw failure("expected digits") }
        if index < bytes.count, [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(bytes[index]) {
            throw failure("only integers are allowed")
        }
        // At most 16 digits cannot overflow; the magnitude is checked against 2^53 after.
        guard index - digitsStart <= 16 else { throw failure("integer out of range (at most 2^53-1 in magnitude)") }
        let magnitude = bytes[digitsStart..<index].reduce(Int64(0)) { $0 * 10 + Int64($1 - UInt8(ascii: "0")) }
        guard magnitude <= JSONValue.maximumInteger else { throw failure("integer out of range (at most 2^53-1 in magnitude)") }
        return start == digitsStart ? magnitude : -magnitude
    }

    private mutating func parseString() throws(SigningError) -> String {
        index += 1
        // Fast path: most strings have no escapes. memchr finds the closing quote many bytes
        // at a time, and one branch-free pass over the text shows there is nothing to undo.
        if index < bytes.count, let base = bytes.baseAddress,
           let found = memchr(base + index, Int32(UInt8(ascii: "\"")), bytes.count - index)
        {
            let end = UnsafeRawPointer(found) - base
            let text = UnsafeRawBufferPointer(rebasing: bytes[index..<end])
            let (plain, ascii) = Self.survey(text)
            if plain {
                let string = text.withMemoryRebound(to: UInt8.self) { units in
                    // ASCII cannot be invalid: decoded without `String(validating:)`, whose
                    // generic validation looks up type metadata on every call.
                    ascii ? String(decoding: units, as: UTF8.self) : String(validating: units, as: UTF8.self)
                }
                guard let string else { throw failure("string is not valid UTF-8") }
                index = end + 1
                return string
            }
        }
        var raw = [UInt8]()
        while true {
            guard index < bytes.count else { throw failure("unterminated string") }
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                guard let string = String(validating: raw, as: UTF8.self) else { throw failure("string is not valid UTF-8") }
                return string
            case UInt8(ascii: "\\"):
                try parseEscape(into: &raw)
            case 0x00..<0x20:
                throw failure("control character in a string must be escaped")
            default:
                raw.append(byte)
            }
        }
    }

    /// Whether `text` holds no backslash and no control byte (so it is the string as it
    /// stands), and whether it is all ASCII: eight bytes at a time, as strings are most of
    /// the bytes a replay reads.
    private static func survey(_ text: UnsafeRawBufferPointer) -> (plain: Bool, ascii: Bool) {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        var union: UInt64 = 0, flagged: UInt64 = 0
        var offset = 0
        while offset + 8 <= text.count {
            let word = text.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            union |= word
            // Nonzero when some byte is below 0x20, or is a backslash (a zero byte after the
            // XOR): the "has less" and "has zero" word tests, exact for the word as a whole.
            let backslashes = word ^ (ones &* 0x5c)
            flagged |= (word &- ones &* 0x20) & ~word & highs
            flagged |= (backslashes &- ones) & ~backslashes & highs
            offset += 8
        }
        var smallest: UInt8 = 0xff, backslash = false
        while offset < text.count {
            let unit = text[offset]
            union |= UInt64(unit)
            smallest = min(smallest, unit)
            backslash = backslash || unit == UInt8(ascii: "\\")
            offset += 1
        }
        return (flagged == 0 && smallest >= 0x20 && !backslash, union & highs == 0)
    }

    private mutating func parseEscape(into raw: inout [UInt8]) throws(SigningError) {
        guard index < bytes.count else { throw failure("unterminated escape") }
        let code = bytes[index]
        index += 1
        switch code {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): raw.append(code)
        case UInt8(ascii: "b"): raw.append(0x08)
        case UInt8(ascii: "f"): raw.append(0x0c)
        case UInt8(ascii: "n"): raw.append(0x0a)
        case UInt8(ascii: "r"): raw.append(0x0d)
        case UInt8(ascii: "t"): raw.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try parseHex4()
            if (0xd800..<0xdc00).contains(scalar) {
                try expect("\\u")
                let low = try parseHex4()
                guard (0xdc00..<0xe000).contains(low) else { throw failure("unpaired surrogate") }
                scalar = 0x10000 + ((scalar - 0xd800) << 10) + (low - 0xdc00)
            }
            guard let unicode = Unicode.Scalar(scalar) else { throw failure("unpaired surrogate") }
            raw += Array(String(Character(unicode)).utf8)
        default:
            throw failure("unknown escape")
        }
    }

    private mutating func parseHex4() throws(SigningError) -> UInt32 {
        guard bytes.count - index >= 4 else { throw failure("short \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[index]
            index += 1
            let digit: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(c - UInt8(ascii: "A") + 10)
            default: throw failure("bad hex digit in \\u escape")
            }
            value = value << 4 | digit
        }
        return value
    }
}
