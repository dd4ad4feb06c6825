/// The bytes of canonical JSON as they are written, before their count is known: what
/// ``CanonicalJSON/encode(_:)`` and ``CanonicalObjectWriter`` write into. Bytes are stored
/// through a pointer into memory it owns, so a write costs one capacity check, not the
/// uniqueness and capacity checks of an array's `append` per byte; a rebuild writes every
/// view row through here.
struct CanonicalBuffer: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private var count = 0
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// The bytes written, as an array of exactly their count.
    consuming func finish() -> [UInt8] {
        Array(UnsafeBufferPointer(start: base, count: count))
    }

    /// Room for `more` bytes after the ones written.
    @inline(__always)
    private mutating func reserve(_ more: Int) {
        if count + more > capacity { grow(toHold: count + more) }
    }

    private mutating func grow(toHold needed: Int) {
        let larger = max(needed, capacity * 2)
        let moved = UnsafeMutablePointer<UInt8>.allocate(capacity: larger)
        moved.moveInitialize(from: base, count: count)
        base.deallocate()
        (base, capacity) = (moved, larger)
    }

    mutating func append(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress else { return }
        reserve(bytes.count)
        (base + count).initialize(from: source, count: bytes.count)
        count += bytes.count
    }

    /// Text the code spells, such as a member's name or `true`.
    mutating func append(_ text: StaticString) {
        append(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// `value` in decimal, as JSON writes an integer.
    mutating func append(integer value: Int64) {
        // A sign and 19 digits hold every Int64.
        reserve(20)
        if value < 0 { append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude, digits = 1, rest = magnitude
        while rest >= 10 {
            rest /= 10
            digits += 1
        }
        var end = count + digits
        repeat {
            end -= 1
            base[end] = UInt8(ascii: "0") + UInt8(magnitude % 10)
            magnitude /= 10
        } while magnitude != 0
        count += digits
    }

    /// `string` quoted and escaped as RFC 8785 (ECMAScript's `JSON.stringify`) writes it.
    mutating func append(string: String) {
        var string = string
        string.withUTF8 { units in
            reserve(units.count + 2)
            append(UInt8(ascii: "\""))
            // Most strings need no escape: copied whole.
            if !units.contains(where: Self.needsEscape) {
                append(units)
            } else {
                for byte in units { appendEscaping(byte) }
            }
            append(UInt8(ascii: "\""))
        }
    }

    private static func needsEscape(_ unit: UInt8) -> Bool {
        unit < 0x20 || unit == UInt8(ascii: "\"") || unit == UInt8(ascii: "\\")
    }

    private mutating func appendEscaping(_ byte: UInt8) {
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
            append(UInt8(ascii: "\\"))
            append(shortEscape)
        } else if byte < 0x20 {
            append("\\u00")
            append(Hex.digits[Int(byte >> 4)])
            append(Hex.digits[Int(byte & 0xf)])
        } else {
            append(byte)
        }
    }
}
