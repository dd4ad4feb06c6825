import Signing

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
        self.init(utf8: text.utf8)
    }

    /// ``init(_:)`` over UTF-8 wherever it lies: a rebuild reads each interface's MAC in place.
    init?(utf8 text: some Collection<UInt8>) {
        // `xx:xx:xx:xx:xx:xx`, read in one pass: every interface row carries one.
        guard text.count == 17 else { return nil }
        var value: UInt64 = 0
        for (index, byte) in text.enumerated() {
            if index % 3 == 2 {
                guard byte == UInt8(ascii: ":") else { return nil }
                continue
            }
            guard let nibble = Hex.digits.firstIndex(of: byte) else { return nil }
            value = value << 4 | UInt64(nibble)
        }
        self.value = value
    }

    public var description: String {
        // Written where the string keeps its bytes: every interface row and index key has one.
        String(unsafeUninitializedCapacity: 17) { text in
            for index in 0..<12 {
                let nibble = Int(value >> UInt64(4 * (11 - index)) & 0xf)
                text[index / 2 * 3 + index % 2] = Hex.digits[nibble]
                if index % 2 == 1, index < 11 { text[index / 2 * 3 + 2] = UInt8(ascii: ":") }
            }
            return 17
        }
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
