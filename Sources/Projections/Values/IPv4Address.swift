/// An IPv4 address in dotted-quad form, parsed strictly (no leading zeros, four octets).
public struct IPv4Address: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let value: UInt32

    public init(value: UInt32) { self.value = value }

    public init?(_ text: String) {
        self.init(utf8: text.utf8)
    }

    /// ``init(_:)`` over UTF-8 wherever it lies: a rebuild reads each interface's IP in place.
    init?(utf8 text: some Sequence<UInt8>) {
        // One pass over the bytes: views and records hold hundreds of thousands of these.
        var value: UInt32 = 0, octet: UInt32 = 0, digits = 0, dots = 0
        for byte in text {
            switch byte {
            case UInt8(ascii: "."):
                guard digits > 0, dots < 3 else { return nil }
                value = value << 8 | octet
                (octet, digits, dots) = (0, 0, dots + 1)
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                // A second digit after a leading zero, a fourth digit, or more than 255.
                guard !(digits == 1 && octet == 0), digits < 3 else { return nil }
                octet = octet * 10 + UInt32(byte - UInt8(ascii: "0"))
                digits += 1
                guard octet <= 255 else { return nil }
            default:
                return nil
            }
        }
        guard dots == 3, digits > 0 else { return nil }
        self.value = value << 8 | octet
    }

    public var octets: [UInt8] { [UInt8(value >> 24), UInt8(value >> 16 & 0xff), UInt8(value >> 8 & 0xff), UInt8(value & 0xff)] }

    public var description: String {
        // At most 15 bytes, written in place (a string that short needs no allocation):
        // every interface row and index key has one.
        String(unsafeUninitializedCapacity: 15) { text in
            var count = 0
            for shift in stride(from: UInt32(24), through: 0, by: -8) {
                let octet = UInt8(value >> shift & 0xff)
                if shift != 24 {
                    text[count] = UInt8(ascii: ".")
                    count += 1
                }
                if octet >= 100 {
                    text[count] = UInt8(ascii: "0") + octet / 100
                    count += 1
                }
                if octet >= 10 {
                    text[count] = UInt8(ascii: "0") + octet / 10 % 10
                    count += 1
                }
                text[count] = UInt8(ascii: "0") + octet % 10
                count += 1
            }
            return count
        }
    }

    /// Whether this is a netmask: ones followed by zeros.
    public var isNetmask: Bool { value == 0 || (~value &+ 1) & ~value == 0 }

    /// The number of leading ones: 16 for 255.255.0.0, as `ip addr` writes it.
    public var prefixLength: Int { value.leadingZeroBitCount == 0 ? (~value).leadingZeroBitCount : 0 }

    public static func < (lhs: IPv4Address, rhs: IPv4Address) -> Bool { lhs.value < rhs.value }
}
