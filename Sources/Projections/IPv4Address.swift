/// An IPv4 address in dotted-quad form, parsed strictly (no leading zeros, four octets).
public struct IPv4Address: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let value: UInt32

    public init(value: UInt32) { self.value = value }

    public init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy(\.isASCII), part.allSatisfy(\.isNumber),
                  part.count == 1 || part.first != "0", let octet = UInt32(part), octet <= 255
            else { return nil }
            value = value << 8 | octet
        }
        self.value = value
    }

    public var octets: [UInt8] { [UInt8(value >> 24), UInt8(value >> 16 & 0xff), UInt8(value >> 8 & 0xff), UInt8(value & 0xff)] }

    public var description: String { octets.map(String.init).joined(separator: ".") }

    /// Whether this is a netmask: ones followed by zeros.
    public var isNetmask: Bool { value == 0 || (~value &+ 1) & ~value == 0 }

    /// The number of leading ones: 16 for 255.255.0.0, as `ip addr` writes it.
    public var prefixLength: Int { value.leadingZeroBitCount == 0 ? (~value).leadingZeroBitCount : 0 }

    public static func < (lhs: IPv4Address, rhs: IPv4Address) -> Bool { lhs.value < rhs.value }
}
