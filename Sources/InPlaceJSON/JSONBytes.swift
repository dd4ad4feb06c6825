#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Signing

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
package struct JSONBytes {
    /// Exactly one value, lent by the caller for as long as this is used.
    package let raw: UnsafeRawBufferPointer
    /// Where the strings, objects and arrays of the whole this was read from end, when it was
    /// read through ``indexed(_:_:)``.
    private let index: Index?

    private struct Index {
        /// By a value's offset from `base`: the offset just past its end, or -1.
        let ends: UnsafePointer<Int32>
        let base: UnsafeRawPointer
    }

    package init(_ raw: UnsafeRawBufferPointer) {
        self.raw = raw
        index = nil
    }

    private init(_ raw: UnsafeRawBufferPointer, index: Index?) {
        self.raw = raw
        self.index = index
    }

    /// The part of this value from `start` up to `end`, sharing its index.
    private func part(_ start: Int, _ end: Int) -> JSONBytes {
        JSONBytes(UnsafeRawBufferPointer(rebasing: raw[start..<end]), index: index)
    }

    /// Calls `body` with `raw` read after one pass that records where every string, object
    /// and array in it ends. Stepping over a member then costs a lookup, not a scan of its
    /// bytes: unindexed, a value nested d levels deep is scanned once for each level a reader
    /// steps through (a VM allocation's disk, six levels into its decision, six times).
    package static func indexed<T>(_ raw: UnsafeRawBufferPointer, _ body: (JSONBytes) throws -> T) rethrows -> T {
        guard let base = raw.baseAddress, raw.count < Int(Int32.max) else { return try body(JSONBytes(raw)) }
        // One table, the thread's own: the ends by offset, then a stack of the brackets still
        // open (at most half the bytes can open one that closes).
        return try ThreadScratch.withInt32s(count: raw.count + raw.count / 2 + 1) { table in
            let ends = UnsafeMutableBufferPointer(rebasing: table[..<raw.count])
            ends.initialize(repeating: -1)
            let open = UnsafeMutableBufferPointer(rebasing: table[raw.count...])
            var depth = 0, offset = 0
            scan: while offset < raw.count {
                switch raw[offset] {
                case UInt8(ascii: "\""):
                    guard let end = endOfString(raw, at: offset) else { break scan }
                    ends[offset] = Int32(end)
                    offset = end
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    guard depth < open.count else { break scan }
                    open[depth] = Int32(offset)
                    depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    guard depth > 0 else { break scan }
                    depth -= 1
                    ends[Int(open[depth])] = Int32(offset + 1)
                default:
                    break
                }
                offset += 1
            }
            return try body(JSONBytes(raw, index: Index(ends: UnsafePointer(ends.baseAddress!), base: base)))
        }
    }

    /// Where the value starting at offset `start` ends: the offset just past it.
    private func end(ofValueAt start: Int) -> Int? {
        guard start < raw.count else { return nil }
        if let index, let here = raw.baseAddress {
            switch raw[start] {
            case UInt8(ascii: "\""), UInt8(ascii: "{"), UInt8(ascii: "["):
                let end = index.ends[here - index.base + start]
                return end < 0 ? nil : Int(end) - (here - index.base)
            default:
                break
            }
        }
        return Self.endOfValue(raw, at: start)
    }

    /// The value of member `key`, if this is an object that has it.
    package subscript(key: StaticString) -> JSONBytes? {
        member(UnsafeRawBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
    }

    /// ``subscript(_:)-(StaticString)`` for a key held in a String.
    package subscript(key: String) -> JSONBytes? {
        var key = key
        return key.withUTF8 { member(UnsafeRawBufferPointer($0)) }
    }

    private func member(_ wanted: UnsafeRawBufferPointer) -> JSONBytes? {
        var cursor = members
        return cursor.member(wanted)
    }

    /// The value of member `key`, looked for from `cursor` on, and from the first member when
    /// it is not there; `cursor` is left just past the member found. Members asked for in
    /// canonical order are each found in a step or two, where each lookup from the start
    /// steps over every member before it. Any order finds the same.
    package func member(_ key: StaticString, resuming cursor: inout Members?) -> JSONBytes? {
        let wanted = UnsafeRawBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount)
        if let resuming = cursor {
            var resumed = resuming
            if let found = resumed.member(wanted) {
                cursor = resumed
                return found
            }
            // Every member before the cursor sorts at or before the last one it passed: a key
            // sorting after that one, not found from the cursor on, is absent (an optional
            // member read in canonical order costs no second look from the start).
            if let passed = resuming.lastKey, passed.compareBytes(wanted) < 0 { return nil }
        }
        var fresh = members
        let found = fresh.member(wanted)
        if found != nil { cursor = fresh }
        return found
    }

    /// This object's members, in order, for reading each in turn.
    /// Single fields are read by key (the subscripts), in any order.
    package var members: Members { Members(object: self) }

    /// See ``members``.
    package struct Members {
        private let object: JSONBytes
        private var position: Position
        /// The key of the member just before ``position``, if any: in a canonical object, no
        /// member before it sorts after this.
        fileprivate private(set) var lastKey: UnsafeRawBufferPointer?

        private enum Position {
            /// The next unread member's key starts here.
            case member(Int)
            /// Every member has been read.
            case end
            /// Not an object, or not well formed from here on.
            case malformed
        }

        fileprivate init(object: JSONBytes) {
            self.object = object
            let raw = object.raw
            if raw.count >= 2, raw[0] == UInt8(ascii: "{") {
                position = raw[1] == UInt8(ascii: "\"") ? .member(1) : raw.count == 2 && raw[1] == UInt8(ascii: "}") ? .end : .malformed
            } else {
                position = .malformed
            }
        }

        /// True once every member has been read, and the object closed where it should.
        package var isAtEnd: Bool { if case .end = position { true } else { false } }

        fileprivate mutating func member(_ wanted: UnsafeRawBufferPointer) -> JSONBytes? {
            while let (found, value, following) = peek() {
                let order = found.compareBytes(wanted)
                // Members are in canonical order: past where the key would sort, it is absent, and
                // that member is left for the next lookup. (For the ASCII names code looks up, byte
                // order and RFC 8785's UTF-16 order agree.)
                if order > 0 { return nil }
                position = following
                lastKey = found
                if order == 0 { return value }
            }
            return nil
        }

        /// The next member's key (as written between the quotes) and value, or nil past the
        /// last one or where the object is not well formed.
        package mutating func next() -> (key: UnsafeRawBufferPointer, value: JSONBytes)? {
            guard let (key, value, following) = peek() else { return nil }
            position = following
            lastKey = key
            return (key, value)
        }

        /// The next member's key and value, and where reading goes on after it.
        private mutating func peek() -> (key: UnsafeRawBufferPointer, value: JSONBytes, following: Position)? {
            guard case .member(let index) = position else { return nil }
            let raw = object.raw
            guard let keyEnd = object.end(ofValueAt: index), keyEnd < raw.count, raw[keyEnd] == UInt8(ascii: ":"),
                  let valueEnd = object.end(ofValueAt: keyEnd + 1), valueEnd < raw.count
            else {
                position = .malformed
                return nil
            }
            let following: Position = switch raw[valueEnd] {
            case UInt8(ascii: ",") where valueEnd + 1 < raw.count && raw[valueEnd + 1] == UInt8(ascii: "\""): .member(valueEnd + 1)
            case UInt8(ascii: "}") where valueEnd == raw.count - 1: .end
            default: .malformed
            }
            return (UnsafeRawBufferPointer(rebasing: raw[(index + 1)..<(keyEnd - 1)]), object.part(keyEnd + 1, valueEnd), following)
        }
    }

    /// The elements, if this is an array, stepped through where they lie. The whole array
    /// is checked before the first element is given.
    package var elementSequence: ElementSequence? {
        guard var checking = uncheckedElements else { return nil }
        while checking.next() != nil {}
        return checking.isAtEnd ? uncheckedElements : nil
    }

    /// The elements of what is bracketed as an array, not yet stepped through to its end.
    private var uncheckedElements: ElementSequence? {
        guard raw.count >= 2, raw[0] == UInt8(ascii: "["), raw[raw.count - 1] == UInt8(ascii: "]") else { return nil }
        return ElementSequence(array: self)
    }

    /// See ``elementSequence``.
    package struct ElementSequence: Sequence, IteratorProtocol {
        fileprivate let array: JSONBytes
        /// Where the next element starts.
        private var index = 1
        /// Whether stepping stopped on bytes that end no value.
        private var malformed = false

        fileprivate init(array: JSONBytes) { self.array = array }

        /// Whether every element has been given, and the array's bytes ended where they should.
        fileprivate var isAtEnd: Bool { !malformed && index >= array.raw.count - 1 }

        package mutating func next() -> JSONBytes? {
            guard !malformed, index < array.raw.count - 1 else { return nil }
            guard let end = array.end(ofValueAt: index), end < array.raw.count else {
                malformed = true
                return nil
            }
            defer { index = end + 1 }
            return array.part(index, end)
        }
    }

    package var integerValue: Int64? {
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

    package var boolValue: Bool? {
        if raw.elementsEqual("true".utf8) { return true }
        if raw.elementsEqual("false".utf8) { return false }
        return nil
    }

    package var stringValue: String? {
        // Without escapes the text is the string; with them, the parser undoes them.
        if let text = unescapedString { return String(decoding: text, as: UTF8.self) }
        return stringContent == nil ? nil : (try? CanonicalJSON.decodeTrusted(raw))?.stringValue
    }

    /// The string's text where it lies, if this is a string written without escapes (whose
    /// bytes between the quotes are then its UTF-8).
    package var unescapedString: UnsafeRawBufferPointer? {
        guard let content = stringContent else { return nil }
        // memchr looks many bytes at a time: every string a rebuild reads in place comes here.
        if let base = content.baseAddress, memchr(base, Int32(UInt8(ascii: "\\")), content.count) != nil { return nil }
        return content
    }

    /// The bytes between the quotes, if this is a string.
    private var stringContent: UnsafeRawBufferPointer? {
        guard raw.count >= 2, raw[0] == UInt8(ascii: "\""), raw[raw.count - 1] == UInt8(ascii: "\"") else { return nil }
        return UnsafeRawBufferPointer(rebasing: raw[1..<(raw.count - 1)])
    }

    /// The whole value, parsed.
    package var value: JSONValue? { try? CanonicalJSON.decodeTrusted(raw) }

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
