import InPlaceJSON
import Ledger
import Signing

/// The decision format this build writes and folds: decisions hold decided values (names,
/// slices, MACs, addresses, placement, ids), and folds build every view row from them.
/// The genesis record states it (``InitDecision``), so a ledger whose decisions are in
/// another format is refused whole rather than folded wrongly.
enum DecisionFormat {
    static let current: Int64 = 2
}

/// A stored decision's fields, read by name, in any order, where they lie in the record:
/// the one way an operation reads what was decided. A field that is missing or of the wrong
/// type refuses the record, naming it and the decision format this build reads.
package struct DecisionReader {
    private let json: JSONBytes
    private let place: Place
    private let record: UInt64
    private let op: String

    /// Lends `body` a reader of `record`'s decision.
    package static func read<T>(_ record: Record, _ body: (DecisionReader) throws -> T) throws -> T {
        try record.withDecision { try body(DecisionReader(json: $0, record: record.sequence, op: record.op, place: Place(parent: nil, key: nil, index: nil))) }
    }

    private init(json: JSONBytes, record: UInt64, op: String, place: Place) {
        (self.json, self.record, self.op, self.place) = (json, record, op, place)
    }

    /// The error for this record: its decision is not one this build reads.
    func malformed(_ field: String, _ problem: String) -> DomainError {
        DomainError("record \(record) holds a '\(op)' decision this build cannot read (it reads decision format \(DecisionFormat.current)): \(place.path)\(field) \(problem)")
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
    /// (``JSONBytes/member(_:resuming:)``), and where it lies in the decision, spelled only
    /// for an error (`vms[0].disks`). A class, so the reader's lookups stay non-mutating.
    private final class Place {
        var members: JSONBytes.Members?
        let parent: Place?
        let key: StaticString?
        let index: Int?

        init(parent: Place?, key: StaticString?, index: Int?) {
            (self.parent, self.key, self.index) = (parent, key, index)
        }

        var path: String {
            guard let parent, let key else { return "" }
            let named = parent.path.isEmpty ? key.description : parent.path + "." + key.description
            return index.map { named + "[\($0)]" } ?? named
        }
    }

    fileprivate func name(_ key: StaticString) -> String { (place.path.isEmpty ? "" : ".") + key.description }

    func hasMember(_ key: StaticString) -> Bool { member(key) != nil }

    func string(_ key: StaticString) throws -> String {
        guard let text = member(key)?.stringValue else { throw malformed(name(key), "is missing or not a string") }
        return text
    }

    func optionalString(_ key: StaticString) throws -> String? {
        guard let value = member(key) else { return nil }
        guard let text = value.stringValue else { throw malformed(name(key), "is not a string") }
        return text
    }

    package func integer(_ key: StaticString) throws -> Int64 {
        guard let number = member(key)?.integerValue else { throw malformed(name(key), "is missing or not an integer") }
        return number
    }

    func optionalInteger(_ key: StaticString) throws -> Int64? {
        guard let value = member(key) else { return nil }
        guard let number = value.integerValue else { throw malformed(name(key), "is not an integer") }
        return number
    }

    /// Member `key`, a string `parse` reads; `form` names what it must be, for the error.
    func string<T>(_ key: StaticString, as form: String, _ parse: (String) -> T?) throws -> T {
        guard let value = parse(try string(key)) else { throw malformed(name(key), "is not \(form)") }
        return value
    }

    func mac(_ key: StaticString) throws -> MACAddress { try required(key, as: "a MAC address", optionalMAC) }
    func optionalMAC(_ key: StaticString) throws -> MACAddress? { try text(key, as: "a MAC address", MACAddress.init(utf8:)) }
    func ip(_ key: StaticString) throws -> IPv4Address { try required(key, as: "an IPv4 address", optionalIP) }
    func optionalIP(_ key: StaticString) throws -> IPv4Address? { try text(key, as: "an IPv4 address", IPv4Address.init(utf8:)) }

    /// Member `key`, a string `parse` reads where it lies (no string is made for a value that
    /// is only parsed; text with an escape is none of these forms), or nil when it is absent.
    private func text<T>(_ key: StaticString, as form: String, _ parse: (UnsafeRawBufferPointer) -> T?) throws -> T? {
        guard let value = member(key) else { return nil }
        guard let text = value.unescapedString, let parsed = parse(text) else { throw malformed(name(key), "is not \(form)") }
        return parsed
    }

    /// What `read` reads of member `key`, which must be there.
    private func required<T>(_ key: StaticString, as form: String, _ read: (StaticString) throws -> T?) throws -> T {
        guard let value = try read(key) else { throw malformed(name(key), "is missing or not \(form)") }
        return value
    }

    func object(_ key: StaticString) throws -> DecisionReader {
        guard let value = member(key), value.raw.first == UInt8(ascii: "{") else { throw malformed(name(key), "is missing or not an object") }
        return DecisionReader(json: value, record: record, op: op, place: Place(parent: place, key: key, index: nil))
    }

    func optionalObject(_ key: StaticString) throws -> DecisionReader? {
        member(key) == nil ? nil : try object(key)
    }

    /// The elements of array `key`, each read by `body`.
    package func array<T>(_ key: StaticString, _ body: (DecisionReader) throws -> T) throws -> [T] {
        guard let elements = member(key)?.elementSequence else { throw malformed(name(key), "is missing or not an array") }
        var values: [T] = []
        for (index, element) in elements.enumerated() {
            values.append(try body(DecisionReader(json: element, record: record, op: op, place: Place(parent: place, key: key, index: index))))
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

extension DecisionReader {
    /// Member `key` as a parsed value, for the few decided values whose own type reads them
    /// from JSON (``FrontendSettings``).
    func value(_ key: StaticString) throws -> JSONValue {
        guard let value = member(key)?.value else { throw malformed(name(key), "is missing or malformed") }
        return value
    }
}
