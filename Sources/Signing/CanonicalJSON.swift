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
        var parser = CanonicalJSONParser(bytes: bytes, maximumDepth: maximumDepth)
        let value = try parser.parseDocument()
        guard encode(value) == bytes else {
            throw SigningError(.nonCanonicalJSON, "JSON is not in canonical form (RFC 8785: sorted keys, no whitespace, minimal escapes)")
        }
        return value
    }

    /// Parses JSON this process's own writer produced (the views), skipping the
    /// canonical-form comparison; still refuses anything malformed.
    public static func decodeTrusted(_ bytes: [UInt8], maximumDepth: Int = 32) throws(SigningError) -> JSONValue {
        var parser = CanonicalJSONParser(bytes: bytes, maximumDepth: maximumDepth)
        return try parser.parseDocument()
    }

    static func write(_ value: JSONValue, to out: inout [UInt8]) {
        switch value {
        case .string(let string):
            writeString(string, to: &out)
        case .integer(let integer):
            out += Array(String(integer).utf8)
        case .bool(let bool):
            out += Array((bool ? "true" : "false").utf8)
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                write(element, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            for (index, key) in sortedKeys(members).enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                writeString(key, to: &out)
                out.append(UInt8(ascii: ":"))
                write(members[key]!, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// RFC 8785 §3.2.3: keys sort by their UTF-16 code units.
    static func sortedKeys(_ members: [String: JSONValue]) -> [String] {
        members.keys.sorted { $0.utf16.lexicographicallyPrecedes($1.utf16) }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    static func writeString(_ string: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case 0x08: out += [UInt8(ascii: "\\"), UInt8(ascii: "b")]
            case 0x09: out += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0x0a: out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case 0x0c: out += [UInt8(ascii: "\\"), UInt8(ascii: "f")]
            case 0x0d: out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case 0x00..<0x20:
                out += Array("\\u00".utf8) + [hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0xf)]]
            default:
                out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
