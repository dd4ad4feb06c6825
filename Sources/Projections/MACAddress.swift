/// An Ethernet MAC address, written canonically: six lower-case, zero-padded hex octets
/// separated by colons (`76:77:6e:40:00:00`). Other spellings are refused, so a MAC is
/// compared, indexed and authorised by one string.
public struct MACAddress: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The 48-bit value.
    public let value: UInt64

    public init?(value: UInt64) {
        guard value < 1 << 48 else { return nil }
        self.value = value
    }

    public init?(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 6 else { return nil }
        var value: UInt64 = 0
        for part in parts {
            guard part.utf8.count == 2, part.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }),
                  let octet = UInt64(part, radix: 16)
            else { return nil }
            value = value << 8 | octet
        }
        self.value = value
    }

    public var description: String {
        (0..<6).map { index in
            let octet = (value >> UInt64(8 * (5 - index))) & 0xff
            return (octet < 16 ? "0" : "") + String(octet, radix: 16)
        }.joined(separator: ":")
    }

    public static func < (lhs: MACAddress, rhs: MACAddress) -> Bool { lhs.value < rhs.value }

    /// The VM MAC range Rocks derives from the physical frontend's public IP a.b.c.d
    /// (reference §5.3): octets `p:c:b:(d&3)<<6:00:00` where `p` is `d` with the multicast
    /// bit cleared and the locally-administered bit set, under the mask `ff:ff:ff:c0:00:00`,
    /// which leaves 22 bits: 4,194,304 MACs per frontend.
    public static func vmRange(frontendPublicIP ip: IPv4Address) -> ClosedRange<UInt64> {
        let octets = ip.octets
        let d = UInt64(octets[3]), c = UInt64(octets[2]), b = UInt64(octets[1])
        let first = (d & ~0x3 & 0xff) | 0x2
        let base = first << 40 | c << 32 | b << 24 | (d & 0x3) << 22
        return base...(base + (1 << 22) - 1)
    }
}
