/// Canonical JSON in the style of RFC 8785 (JCS) for the subset ``JSONValue`` allows:
/// UTF-8, object keys sorted by UTF-16 code units, no insignificant whitespace, strings
/// escaped exactly as ECMAScript's `JSON.stringify` does.
public enum CanonicalJSON {
    /// The canonical bytes of `value`.
    public static func encode(_ value: JSONValue) -> [UInt8] {
        var out = [UInt8]()
        write(value, to: &out)
        return out
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

    static func write(_ value: JSONValue, to out: inout [UInt8]) {
        switch value {
        case .string(let string):
            writeString(string, to: &out)
        case .integer(let integer):
            // A small String (inline, no allocation) for every integer JSON may hold.
            out.append(contentsOf: String(integer).utf8)
        case .bool(let bool):
            out.append(contentsOf: (bool ? "true" : "false").utf8)
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
                writeString(member.key, to: &out)
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

    private static func needsEscape(_ unit: UInt8) -> Bool {
        unit < 0x20 || unit == UInt8(ascii: "\"") || unit == UInt8(ascii: "\\")
    }

    static func writeString(_ string: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        // Most strings need no escape: copied whole from their contiguous bytes, which skips
        // String's per-byte index arithmetic.
        let copied = string.utf8.withContiguousStorageIfAvailable { units in
            guard !units.contains(where: needsEscape) else { return false }
            out.append(contentsOf: units)
            return true
        }
        if copied == true {
            out.append(UInt8(ascii: "\""))
            return
        }
        for byte in string.utf8 {
            // Appended byte by byte: an array literal for each escape would be an allocation.
            let shortEscape: UInt8? = switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): byte
            case 0x08: UInt8(ascii: "b")
            case 0x09: UInt8(ascii: "t")
            case 0x0a: UInt8(ascii: "n")
            case 0x0c: UInt8(ascii: "f")
            case 0x0d: UInt8(ascii: "r")
            default: nil
            }
            if let shortEscape {
                out.append(UInt8(ascii: "\\"))
                out.append(shortEscape)
            } else if byte < 0x20 {
                out.append(contentsOf: "\\u00".utf8)
                out.append(Hex.digits[Int(byte >> 4)])
                out.append(Hex.digits[Int(byte & 0xf)])
            } else {
                out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
