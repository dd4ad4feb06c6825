/// Writes one canonical JSON object straight to bytes, member by member, for a type that
/// encodes itself (a view row) without building a ``JSONValue`` first. Its output is what
/// ``CanonicalJSON/encode(_:)`` writes for the same members: the caller writes them in
/// canonical order of their names (RFC 8785; byte order for the ASCII names code uses), and
/// a nil optional is left out.
public struct CanonicalObjectWriter {
    private var bytes: [UInt8]
    private var empty = true

    public init(capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
        bytes.append(UInt8(ascii: "{"))
    }

    /// The object, closed.
    public consuming func finish() -> [UInt8] {
        bytes.append(UInt8(ascii: "}"))
        return bytes
    }

    private mutating func name(_ name: StaticString) {
        if !empty { bytes.append(UInt8(ascii: ",")) }
        empty = false
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        bytes.append(contentsOf: "\":".utf8)
    }

    public mutating func member(_ name: StaticString, _ value: String?) {
        guard let value else { return }
        self.name(name)
        CanonicalJSON.writeString(value, to: &bytes)
    }

    public mutating func member(_ name: StaticString, _ value: Int64?) {
        guard let value else { return }
        self.name(name)
        bytes.append(contentsOf: String(value).utf8)
    }

    public mutating func member(_ name: StaticString, _ value: Bool) {
        self.name(name)
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    public mutating func member(_ name: StaticString, strings: [String]) {
        self.name(name)
        bytes.append(UInt8(ascii: "["))
        for (index, string) in strings.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            CanonicalJSON.writeString(string, to: &bytes)
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

    /// Lends `write` a writer of an object that continues these bytes, then takes them back.
    private mutating func nested(_ write: (inout CanonicalObjectWriter) -> Void) {
        var object = CanonicalObjectWriter(taking: &bytes)
        write(&object)
        object.bytes.append(UInt8(ascii: "}"))
        swap(&object.bytes, &bytes)
    }

    /// A writer of an object that starts at the end of `bytes`, which it takes (no copy).
    private init(taking bytes: inout [UInt8]) {
        self.bytes = []
        swap(&self.bytes, &bytes)
        self.bytes.append(UInt8(ascii: "{"))
    }
}
