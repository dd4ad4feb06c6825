import Glibc

/// One JSON value read where it lies, in canonical bytes this project wrote (a stored
/// decision, a view row): a member or an element is found by stepping over the bytes before
/// it, and only what is asked for is decoded. No tree is built and a lookup allocates nothing,
/// which is what a rebuild needs from the few fields of a row it compares or copies whole.
///
/// For canonical bytes already known to be well formed (written by ``CanonicalJSON/encode(_:)``,
/// or checked canonical once): it never reads outside ``raw``, but on malformed input it
/// answers nil rather than saying why, and a lookup relies on members being in canonical
/// order. Keys are compared as written, which is exact for the plain names code looks up (no
/// quote, backslash or control character to escape).
public struct JSONBytes {
    /// Exactly one value, lent by the caller for as long as this is used.
    public let raw: UnsafeRawBufferPointer

    public init(_ raw: UnsafeRawBufferPointer) { self.raw = raw }

    /// The value of member `key`, if this is an object that has it.
    public subscript(key: StaticString) -> JSONBytes? {
        member(UnsafeRawBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
    }

    /// ``subscript(_:)-(StaticString)`` for a key held in a String.
    public subscript(key: String) -> JSONBytes? {
        var key = key
        return key.withUTF8 { member(UnsafeRawBufferPointer($0)) }
    }

    private func member(_ wanted: UnsafeRawBufferPointer) -> JSONBytes? {
        var found: JSONBytes?
        _ = forEachMember { key, value in
            let order = key.compareBytes(wanted)
            if order == 0 { found = value }
            // Members are in canonical order: past where the key would be, it is absent. (For
            // the ASCII names code looks up, byte order and RFC 8785's UTF-16 order agree.)
            return order < 0
        }
        return found
    }

    /// Calls `body` with each member in order (its key as written between the quotes, and
    /// its value) until `body` returns false. True when every member was visited; false when
    /// `body` stopped early or this is not an object.
    public func forEachMember(_ body: (_ key: UnsafeRawBufferPointer, _ value: JSONBytes) throws -> Bool) rethrows -> Bool {
        guard raw.count >= 2, raw[0] == UInt8(ascii: "{") else { return false }
        if raw.count == 2 { return raw[1] == UInt8(ascii: "}") }
        var index = 1
        while index < raw.count, raw[index] == UInt8(ascii: "\"") {
            guard let keyEnd = Self.endOfString(raw, at: index), keyEnd < raw.count, raw[keyEnd] == UInt8(ascii: ":"),
                  let valueEnd = Self.endOfValue(raw, at: keyEnd + 1), valueEnd < raw.count
            else { return false }
            let key = UnsafeRawBufferPointer(rebasing: raw[(index + 1)..<(keyEnd - 1)])
            guard try body(key, JSONBytes(UnsafeRawBufferPointer(rebasing: raw[(keyEnd + 1)..<valueEnd]))) else { return false }
            if raw[valueEnd] == UInt8(ascii: "}") { return valueEnd == raw.count - 1 }
            guard raw[valueEnd] == UInt8(ascii: ",") else { return false }
            index = valueEnd + 1
        }
        return false
    }

    /// The elements, if this is an array.
    public var elements: [JSONBytes]? {
        guard raw.count >= 2, raw[0] == UInt8(ascii: "[") else { return nil }
        var found: [JSONBytes] = []
        var index = 1
        while index < raw.count - 1 {
            guard let end = Self.endOfValue(raw, at: index), end < raw.count else { return nil }
            found.append(JSONBytes(UnsafeRawBufferPointer(rebasing: raw[index..<end])))
            index = end + 1
        }
        return found
    }

    public var integerValue: Int64? {
        guard let first = raw.first else { return nil }
        let negative = first == UInt8(ascii: "-")
        let digits = raw.dropFirst(negative ? 1 : 0)
        // JSON integers here are at most 2^53 in magnitude: 16 digits cannot overflow.
        guard !digits.isEmpty, digits.count <= 16 else { return nil }
        var magnitude: Int64 = 0
        for digit in digits {
            guard digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "9") else { return nil }
            magnitude = magnitude * 10 + Int64(digit - UInt8(ascii: "0"))
        }
        return negative ? -magnitude : magnitude
    }

    public var boolValue: Bool? {
        if raw.elementsEqual("true".utf8) { return true }
        if raw.elementsEqual("false".utf8) { return false }
        return nil
    }

    public var stringValue: String? {
        guard let content = stringContent else { return nil }
        // Without escapes the content is the string; with them, the parser undoes them.
        guard content.contains(UInt8(ascii: "\\")) else { return String(decoding: content, as: UTF8.self) }
        return (try? CanonicalJSON.decodeTrusted(raw))?.stringValue
    }

    /// Whether this is the string `text`, compared without making a String.
    public func isString(_ text: String) -> Bool {
        guard let content = stringContent else { return false }
        guard !content.contains(UInt8(ascii: "\\")) else { return stringValue == text }
        var text = text
        return text.withUTF8 { content.hasSameBytes(as: UnsafeRawBufferPointer($0)) }
    }

    /// The bytes between the quotes, if this is a string.
    private var stringContent: UnsafeRawBufferPointer? {
        guard raw.count >= 2, raw[0] == UInt8(ascii: "\""), raw[raw.count - 1] == UInt8(ascii: "\"") else { return nil }
        return UnsafeRawBufferPointer(rebasing: raw[1..<(raw.count - 1)])
    }

    /// The whole value, parsed.
    public var value: JSONValue? { try? CanonicalJSON.decodeTrusted(raw) }

    /// Where the string opening at `start` ends: the index just past its closing quote.
    private static func endOfString(_ bytes: UnsafeRawBufferPointer, at start: Int) -> Int? {
        guard let base = bytes.baseAddress else { return nil }
        var from = start + 1
        while from < bytes.count {
            // memchr steps over the string's text many bytes at a time.
            guard let found = memchr(base + from, Int32(UInt8(ascii: "\"")), bytes.count - from) else { return nil }
            let quote = UnsafeRawPointer(found) - base
            // A quote after an odd number of backslashes is escaped, and part of the text.
            var backslashes = 0
            while quote - backslashes - 1 > start, bytes[quote - backslashes - 1] == UInt8(ascii: "\\") { backslashes += 1 }
            if backslashes % 2 == 0 { return quote + 1 }
            from = quote + 1
        }
        return nil
    }

    /// Where the value starting at `start` ends: the index just past it.
    private static func endOfValue(_ bytes: UnsafeRawBufferPointer, at start: Int) -> Int? {
        guard start < bytes.count else { return nil }
        switch bytes[start] {
        case UInt8(ascii: "\""):
            return endOfString(bytes, at: start)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            // Brackets inside strings are text, so strings are stepped over whole.
            var depth = 0, index = start
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "\""):
                    guard let end = endOfString(bytes, at: index) else { return nil }
                    index = end
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 { return index + 1 }
                default:
                    break
                }
                index += 1
            }
            return nil
        default:
            // A number or a literal runs to the next separator or closing bracket.
            var index = start
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: ",") || byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") { break }
                index += 1
            }
            return index > start ? index : nil
        }
    }
}
