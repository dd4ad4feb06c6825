/// Writes one canonical JSON object straight to bytes, member by member, for a type that
/// encodes itself (a view row) without building a ``JSONValue`` first. Its output is what
/// ``CanonicalJSON/encode(_:)`` writes for the same members: the caller writes them in
/// canonical order of their names (RFC 8785; byte order for the ASCII names code uses), and
/// a nil optional is left out.
public struct CanonicalObjectWriter: ~Copyable {
    private var bytes: CanonicalBuffer
    /// Whether the object being written (the innermost open one) has no member yet.
    private var empty = true

    public init(capacity: Int = 256) {
        bytes = CanonicalBuffer(capacity: capacity)
        bytes.append(UInt8(ascii: "{"))
    }

    /// The object, closed.
    public consuming func finish() -> [UInt8] {
        bytes.append(UInt8(ascii: "}"))
        return bytes.finish()
    }

    private mutating func name(_ name: StaticString) {
        if !empty { bytes.append(UInt8(ascii: ",")) }
        empty = false
        bytes.append(UInt8(ascii: "\""))
        bytes.append(name)
        bytes.append("\":")
    }

    public mutating func member(_ name: StaticString, _ value: String?) {
        guard let value else { return }
        self.name(name)
        bytes.append(string: value)
    }

    public mutating func member(_ name: StaticString, _ value: Int64?) {
        guard let value else { return }
        self.name(name)
        bytes.append(integer: value)
    }

    public mutating func member(_ name: StaticString, _ value: Bool) {
        self.name(name)
        bytes.append(value ? "true" : "false")
    }

    public mutating func member(_ name: StaticString, strings: [String]) {
        self.name(name)
        bytes.append(UInt8(ascii: "["))
        for (index, string) in strings.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(string: string)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// An array of `count` objects, the one at each index written by `write`.
    public mutating func member(_ name: StaticString, objects count: Int, _ write: (Int, inout CanonicalObjectWriter) -> Void) {
        self.name(name)
        bytes.append(UInt8(ascii: "["))
        for index in 0..<count {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            nested { write(index, &$0) }
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// An object, written by `write`.
    public mutating func member(_ name: StaticString, object write: (inout CanonicalObjectWriter) -> Void) {
        self.name(name)
        nested(write)
    }

    /// Lends `write` this writer for an object nested where the writer stands: its members
    /// go into the same bytes, and the enclosing object has a member once it is closed.
    private mutating func nested(_ write: (inout CanonicalObjectWriter) -> Void) {
        bytes.append(UInt8(ascii: "{"))
        empty = true
        write(&self)
        bytes.append(UInt8(ascii: "}"))
        empty = false
    }
}
