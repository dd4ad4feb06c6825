/// A JSON object: its members in canonical order (RFC 8785: keys by UTF-16 code units), each
/// key once.
///
/// The objects this project handles are small (a host, an interface, a request's arguments),
/// and there a sorted array beats a hash table on every count that matters: canonical input
/// parses by appending, encoding walks the members as they are, and a lookup compares a few
/// short strings instead of hashing with a per-table seed. Replaying a long log is mostly
/// parsing and encoding objects like these.
public struct JSONObject: Sendable, Hashable {
    public struct Member: Sendable, Hashable {
        public let key: String
        public var value: JSONValue
    }

    /// Sorted by ``CanonicalJSON/precedesInUTF16Order(_:_:)``, no key twice.
    public private(set) var members: [Member]

    public init() { members = [] }

    public init(_ dictionary: [String: JSONValue]) {
        // A dictionary holds each key once, so nothing can repeat.
        (members, _) = Self.canonicalOrder(dictionary.map(Member.init))
    }

    /// Members the caller has already put in canonical order, each key once.
    init(orderedMembers: [Member]) { members = orderedMembers }

    /// `members` sorted into canonical order, once, as a whole, and the first key that
    /// appears twice: the sorting every constructor and the parser share.
    static func canonicalOrder(_ members: consuming [Member]) -> (members: [Member], repeatedKey: String?) {
        var sorted = members  // taken over, so sorted in place
        sorted.sort { CanonicalJSON.precedesInUTF16Order($0.key, $1.key) }
        return (sorted, zip(sorted, sorted.dropFirst()).first { sameKey($0.key, $1.key) }?.0.key)
    }

    /// Keys are the same when their UTF-8 bytes are, as JSON compares them. Swift's `==`
    /// would also equate canonically equivalent spellings (`é` and `e` with U+0301), which
    /// are two keys to JSON, and it calls out of line for every two short keys that differ;
    /// most keys an object is searched for differ from a member's in length already.
    static func sameKey(_ a: String, _ b: String) -> Bool {
        guard a.utf8.count == b.utf8.count else { return false }
        let answer = a.utf8.withContiguousStorageIfAvailable { x in
            b.utf8.withContiguousStorageIfAvailable { y in UnsafeRawBufferPointer(x).hasSameBytes(as: UnsafeRawBufferPointer(y)) }
        }
        return (answer ?? nil) ?? a.utf8.elementsEqual(b.utf8)
    }

    public var count: Int { members.count }
    public var isEmpty: Bool { members.isEmpty }
    public var keys: [String] { members.map(\.key) }

    /// Where `key` is, or where it would go.
    private func position(of key: String) -> (index: Int, found: Bool) {
        var low = 0, high = members.count
        while low < high {
            let middle = (low + high) / 2
            if CanonicalJSON.precedesInUTF16Order(members[middle].key, key) { low = middle + 1 } else { high = middle }
        }
        return (low, low < members.count && Self.sameKey(members[low].key, key))
    }

    public subscript(key: String) -> JSONValue? {
        get {
            // Objects of a dozen members or so: equality of short strings is cheaper than ordering them.
            // By index: a `for member in members` loop copies each member it passes, retaining
            // and releasing its key and value.
            if members.count <= 16 {
                for index in members.indices where Self.sameKey(members[index].key, key) { return members[index].value }
                return nil
            }
            let (index, found) = position(of: key)
            return found ? members[index].value : nil
        }
        set {
            let (index, found) = position(of: key)
            switch (found, newValue) {
            case (true, let value?): members[index].value = value
            case (true, nil): members.remove(at: index)
            case (false, let value?): members.insert(Member(key: key, value: value), at: index)
            case (false, nil): break
            }
        }
    }

    /// Removes `key`, returning its value if it was there.
    @discardableResult
    public mutating func removeValue(forKey key: String) -> JSONValue? {
        let old = self[key]
        self[key] = nil
        return old
    }
}

extension JSONObject: Sequence {
    public struct Iterator: IteratorProtocol {
        var base: IndexingIterator<[Member]>
        public mutating func next() -> (key: String, value: JSONValue)? {
            base.next().map { ($0.key, $0.value) }
        }
    }

    public func makeIterator() -> Iterator { Iterator(base: members.makeIterator()) }
    public var underestimatedCount: Int { members.count }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, JSONValue)...) { self.init(literal: elements) }

    /// Models write their JSON this way on every fold. A key written twice is a programming
    /// error, as in a dictionary literal.
    init(literal elements: [(String, JSONValue)]) {
        self.init(literalMembers: elements.map(Member.init))
    }

    /// A literal whose nil values are left out: how a model with optional fields writes its
    /// JSON in one go, instead of inserting each present field into a growing object. Keys
    /// written in canonical order cost one comparison each to confirm it.
    public init(omittingNilValues elements: KeyValuePairs<String, JSONValue?>) {
        var present: [Member] = []
        present.reserveCapacity(elements.count)
        for (key, value) in elements { if let value { present.append(Member(key: key, value: value)) } }
        self.init(literalMembers: present)
    }

    private init(literalMembers: [Member]) {
        let repeatedKey: String?
        (members, repeatedKey) = Self.canonicalOrder(literalMembers)
        precondition(repeatedKey == nil, "JSON object literal repeats the key \(repeatedKey ?? "")")
    }
}
