/// Canonical JSON in the style of RFC 8785 (JCS) for the subset ``JSONValue`` allows:
/// UTF-8, object keys sorted by UTF-16 code units, no insignificant whitespace, strings
/// escaped exactly as ECMAScript's `JSON.stringify` does.
public enum CanonicalJSON {
    /// The canonical bytes of `value`.
    public static func encode(_ value: JSONValue) -> [UInt8] {
        var out = CanonicalBuffer(capacity: 64)
        write(value, to: &out)
        return out.finish()
    }

    /// Parses `bytes`, refusing anything that is not already canonical: whitespace, duplicate
    /// or unsorted keys, escapes JCS would not write, floats, null, invalid UTF-8.
    public static func decode(_ bytes: [UInt8], maximumDepth: Int = 32) throws(SigningError) -> JSONValue {
        let value = try decodeTrusted(bytes, maximumDepth: maximumDepth)
        guard encode(value) == bytes else {
            throw SigningError(.nonCanonicalJSON, "JSON is not in canonical form (RFC 8785: sorted keys, no whitespace, minimal escapes)")
        }
        return value
    }

    /// Parses JSON this process's own writer produced (the views), skipping the
    /// canonical-form comparison; still refuses anything malformed.
    public static func decodeTrusted(_ bytes: [UInt8], maximumDepth: Int = 32) throws(SigningError) -> JSONValue {
        // Array's withUnsafeBytes does not carry the error's type through; Result does.
        try bytes.withUnsafeBytes { buffer in
            Result { () throws(SigningError) in try decodeTrusted(buffer, maximumDepth: maximumDepth) }
        }.get()
    }

    /// ``decodeTrusted(_:maximumDepth:)`` straight from memory it does not own (a value in
    /// LMDB's map), without copying it first.
    public static func decodeTrusted(_ buffer: UnsafeRawBufferPointer, maximumDepth: Int = 32) throws(SigningError) -> JSONValue {
        var parser = CanonicalJSONParser(bytes: buffer, maximumDepth: maximumDepth)
        return try parser.parseDocument()
    }

    static func write(_ value: JSONValue, to out: inout CanonicalBuffer) {
        switch value {
        case .string(let string):
            out.append(string: string)
        case .integer(let integer):
            out.append(integer: integer)
        case .bool(let bool):
            out.append(bool ? "true" : "false")
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                write(element, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            // Already in canonical order: a JSONObject keeps its members sorted.
            for (index, member) in members.members.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                out.append(string: member.key)
                out.append(UInt8(ascii: ":"))
                write(member.value, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// RFC 8785 (§3.2.3) orders keys by UTF-16 code units. That is UTF-8 byte order, except where a
    /// character above U+FFFF (a surrogate pair in UTF-16, so first) meets one in
    /// U+E000–U+FFFF at the first difference. Comparing bytes avoids walking `utf16` views,
    /// which made key sorting the costliest part of encoding a view.
    static func precedesInUTF16Order(_ a: String, _ b: String) -> Bool {
        let answer = a.utf8.withContiguousStorageIfAvailable { x in
            b.utf8.withContiguousStorageIfAvailable { y -> Bool in
                let shared = min(x.count, y.count)
                var index = 0
                while index < shared, x[index] == y[index] { index += 1 }
                guard index < shared else { return x.count < y.count }
                let p = x[index], q = y[index]
                // After an equal prefix both are lead bytes here: 0xEE/0xEF start U+E000–U+FFFF,
                // 0xF0–0xF4 start the characters UTF-16 writes as surrogates.
                if p >= 0xEE, q >= 0xEE, (p >= 0xF0) != (q >= 0xF0) { return p >= 0xF0 }
                return p < q
            }
        }
        return (answer ?? nil) ?? a.utf16.lexicographicallyPrecedes(b.utf16)
    }
}
