import InPlaceJSON
import Ledger
import Signing

/// The fields of a stored decision or view row, read by name, in any order, where they lie:
/// the one way an operation reads what was decided, and a row type reads its row. A field
/// that is missing or of the wrong type refuses what holds it: a decision's error names its
/// record and the decision format this build reads, a row's names its view.
package struct FieldReader {
    private let json: JSONBytes
    private let place: Place

    /// What the fields belong to, named by a refusal.
    private enum Origin {
        case decision(record: UInt64, op: String)
        case row(View)
    }

    /// Lends `body` a reader of `record`'s decision.
    package static func read<T>(_ record: Record, _ body: (FieldReader) throws -> T) throws -> T {
        try record.withDecision { try body(FieldReader(json: $0, place: Place(origin: .decision(record: record.sequence, op: record.op)))) }
    }

    /// Lends `body` a reader of `row`, a row of `view` as stored (canonical JSON this
    /// project wrote), lent by the caller for the length of the call.
    static func read<T>(row: UnsafeRawBufferPointer, of view: View, _ body: (FieldReader) throws -> T) throws -> T {
        try body(FieldReader(json: JSONBytes(row), place: Place(origin: .row(view))))
    }

    private init(json: JSONBytes, place: Place) {
        (self.json, self.place) = (json, place)
    }

    /// A reader of `value`, found at `key` (and `index`, in an array) of this reader's object.
    private func nested(_ value: JSONBytes, _ key: StaticString, index: Int? = nil) -> FieldReader {
        FieldReader(json: value, place: Place(origin: place.origin, parent: place, key: key, index: index))
    }

    /// The error for what this reads: not a decision this build reads, or a malformed row.
    func malformed(_ field: String, _ problem: String) -> DomainError {
        let named = place.path + field
        let fault = named.isEmpty ? problem : named + " " + problem
        return switch place.origin {
        case .decision(let record, let op):
            DomainError("record \(record) holds a '\(op)' decision this build cannot read (it reads decision format \(DecisionFormat.current)): \(fault)")
        case .row(let view):
            DomainError("the \(view.rawValue) view holds a malformed row: \(fault)")
        }
    }

    fileprivate func member(_ key: StaticString) -> JSONBytes? {
        // Copied out and back rather than lent `inout`: a class's property lent for the length
        // of a call is checked for exclusive access at run time, on every lookup.
        var cursor = place.members
        let found = json.member(key, resuming: &cursor)
        place.members = cursor
        return found
    }

    /// A reader's place: where its last lookup among its object's members ended
    /// (``JSONBytes/member(_:resuming:)``), and where it lies in the decision or row, spelled
    /// only for an error (`vms[0].disks`), as is what it lies in. A class, so the reader's
    /// lookups stay non-mutating, and a reader is copied with one reference.
    private final class Place {
        var members: JSONBytes.Members?
        let origin: Origin
        let parent: Place?
        let key: StaticString?
        let index: Int?

        init(origin: Origin, parent: Place? = nil, key: StaticString? = nil, index: Int? = nil) {
            (self.origin, self.parent, self.key, self.index) = (origin, parent, key, index)
        }

        var path: String {
            guard let parent, let key else { return "" }
            let named = parent.path.isEmpty ? key.description : parent.path + "." + key.description
            return index.map { named + "[\($0)]" } ?? named
        }
    }

    fileprivate func name(_ key: StaticString) -> String { (place.path.isEmpty ? "" : ".") + key.description }

    func hasMember(_ key: StaticString) -> Bool { member(key) != nil }

    func string(_ key: StaticString) throws -> String { try required(key, optionalString) }
    func optionalString(_ key: StaticString) throws -> String? { try optional(key, as: "a string") { $0.stringValue } }
    package func integer(_ key: StaticString) throws -> Int64 { try required(key, optionalInteger) }
    func optionalInteger(_ key: StaticString) throws -> Int64? { try optional(key, as: "an integer") { $0.integerValue } }
    func bool(_ key: StaticString) throws -> Bool { try required(key) { try optional($0, as: "true or false") { $0.boolValue } } }

    /// Member `key`, a string `parse` reads; `form` names what it must be, for the error.
    func string<T>(_ key: StaticString, as form: String, _ parse: (String) -> T?) throws -> T {
        guard let value = parse(try string(key)) else { throw malformed(name(key), "is not \(form)") }
        return value
    }

    // Read where they lie: no string is made for a value that is only parsed (text with an
    // escape is none of these forms).
    func mac(_ key: StaticString) throws -> MACAddress { try required(key, optionalMAC) }
    func optionalMAC(_ key: StaticString) throws -> MACAddress? { try optional(key, as: "a MAC address") { $0.unescapedString.flatMap(MACAddress.init(utf8:)) } }
    func ip(_ key: StaticString) throws -> IPv4Address { try required(key, optionalIP) }
    func optionalIP(_ key: StaticString) throws -> IPv4Address? { try optional(key, as: "an IPv4 address") { $0.unescapedString.flatMap(IPv4Address.init(utf8:)) } }

    /// Member `key` as `read` makes it, or nil when it is absent; `form` names what it must be.
    private func optional<T>(_ key: StaticString, as form: String, _ read: (JSONBytes) -> T?) throws -> T? {
        guard let value = member(key) else { return nil }
        guard let read = read(value) else { throw malformed(name(key), "is not \(form)") }
        return read
    }

    /// What `read` reads of member `key`, which must be there: `read` refuses a member of the
    /// wrong form, and answers nil for one that is absent.
    private func required<T>(_ key: StaticString, _ read: (StaticString) throws -> T?) throws -> T {
        guard let value = try read(key) else { throw malformed(name(key), "is missing") }
        return value
    }

    func object(_ key: StaticString) throws -> FieldReader {
        guard let value = member(key), value.raw.first == UInt8(ascii: "{") else { throw malformed(name(key), "is missing or not an object") }
        return nested(value, key)
    }

    func optionalObject(_ key: StaticString) throws -> FieldReader? {
        member(key) == nil ? nil : try object(key)
    }

    /// The elements of array `key`, each read by `body`.
    package func array<T>(_ key: StaticString, _ body: (FieldReader) throws -> T) throws -> [T] {
        guard let elements = member(key)?.elementSequence else { throw malformed(name(key), "is missing or not an array") }
        var values: [T] = []
        for (index, element) in elements.enumerated() {
            values.append(try body(nested(element, key, index: index)))
        }
        return values
    }

    /// The integers of array `key`.
    func integers(_ key: StaticString) throws -> [Int64] {
        try array(key) { element in
            guard let number = element.json.integerValue else { throw element.malformed("", "is not an integer") }
            return number
        }
    }

    /// The strings of array `key`.
    func strings(_ key: StaticString) throws -> [String] {
        try array(key) { element in
            guard let text = element.json.stringValue else { throw element.malformed("", "is not a string") }
            return text
        }
    }
}

extension FieldReader {
    /// Every member, in order, each a string: for a value whose own type reads its members
    /// by name from a map (``FrontendSettings``).
    func stringMembers() throws -> [(key: String, value: String)] {
        var members = json.members, found: [(String, String)] = []
        while let (key, value) = members.next() {
            let name = String(decoding: key, as: UTF8.self)
            guard let text = value.stringValue else { throw malformed(place.path.isEmpty ? name : "." + name, "is not a string") }
            found.append((name, text))
        }
        guard members.isAtEnd else { throw malformed("", "is not an object") }
        return found
    }
}
