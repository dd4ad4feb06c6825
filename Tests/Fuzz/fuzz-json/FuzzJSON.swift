import FuzzSupport
import InPlaceJSON
import Signing

/// The canonical JSON reader and writer, and the in-place reader beside them.
///
/// - `decode` accepts exactly what `encode` writes: a decoded value encodes to the input.
/// - `decodeTrusted` (any spelling) and `decode` agree wherever `decode` accepts, and what
///   `decodeTrusted` reads encodes to something `decode` reads back to the same value.
/// - `JSONBytes`, which reads where the bytes lie, stays inside them on any input, and on
///   canonical input finds each member the tree holds (of the keys that need no escape, the
///   only ones code looks up), with the same value.
enum FuzzJSON {
    static func check(_ bytes: [UInt8]) {
        let trusted = try? CanonicalJSON.decodeTrusted(bytes)
        if let canonical = try? CanonicalJSON.decode(bytes) {
            FuzzInput.require(CanonicalJSON.encode(canonical) == bytes, "decode accepted bytes encode does not write")
            FuzzInput.require(trusted == canonical, "decodeTrusted and decode disagree")
        }
        if let trusted {
            let written = CanonicalJSON.encode(trusted)
            FuzzInput.require((try? CanonicalJSON.decode(written)) == trusted, "the encoding of a decoded value does not decode to it")
        }
        bytes.withUnsafeBytes { raw in
            readEverywhere(JSONBytes(raw))
            JSONBytes.indexed(raw) { readEverywhere($0) }
            guard let object = (try? CanonicalJSON.decode(bytes))?.objectValue else { return }
            JSONBytes.indexed(raw) { indexed in
                // The in-place reader compares keys as written: exact for keys that need no escape.
                for key in object.keys where CanonicalJSON.encode(.string(key)) == Array("\"\(key)\"".utf8) {
                    FuzzInput.require(JSONBytes(raw)[key]?.value == object[key], "in-place lookup of \(key) differs from the tree")
                    FuzzInput.require(indexed[key]?.value == object[key], "indexed lookup of \(key) differs from the tree")
                }
                FuzzInput.require(indexed["\u{1}absent"] == nil, "found a member that is not there")
            }
        }
    }

    /// Every accessor, on whatever the bytes are: none may read outside them.
    private static func readEverywhere(_ value: JSONBytes) {
        _ = (value.integerValue, value.boolValue, value.stringValue, value.value)
        for key: StaticString in ["denied", "effects", "vms", "name", "a"] { _ = value[key]?.stringValue }
        var members = value.members
        var count = 0
        while let (_, member) = members.next(), count < 64 {
            _ = (member.integerValue, member.stringValue)
            count += 1
        }
        if let elements = value.elementSequence {
            for element in elements.prefix(64) { _ = element.integerValue }
        }
    }
}

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzJSON.check(FuzzInput.bytes(data, size))
    return 0
}
#else
@main enum Replay {
    static func main() { FuzzInput.replay(FuzzJSON.check) }
}
#endif
