import Projections
import Testing
import TestSupport

/// The strict spellings of IPv4 and MAC addresses: views, decisions and requests all hold
/// them as text, so one address must have one spelling.
@Suite struct AddressParsingTests {
    @Test(arguments: ["0.0.0.0", "10.1.255.254", "255.255.255.255", "137.110.119.117"])
    func anIPv4AddressInDottedQuadReadsBackTheSame(text: String) throws {
        #expect(try #require(IPv4Address(text)).description == text)
    }

    @Test(arguments: ["", "1.2.3", "1.2.3.4.5", "1.2.3.", ".1.2.3", "1..2.3", "256.1.1.1", "01.2.3.4", "1.2.3.00",
                      "1.2.3.1000", "1.2.3.-4", "1.2.3.4 ", "١.2.3.4", "1.2.3.x"])
    func otherSpellingsOfIPv4AreRefused(text: String) {
        #expect(IPv4Address(text) == nil)
    }

    @Test(arguments: ["00:00:00:00:00:00", "76:77:6e:40:00:00", "ff:ff:ff:ff:ff:ff", "0a:1b:2c:3d:4e:5f"])
    func aMACInCanonicalFormReadsBackTheSame(text: String) throws {
        #expect(try #require(MACAddress(text)).description == text)
    }

    @Test(arguments: ["", "76:77:6e:40:00", "76:77:6e:40:00:00:00", "76:77:6E:40:00:00", "76-77-6e-40-00-00",
                      "7:77:6e:40:00:000", "76:77:6e:40:00:0g", "76:77:6e:40:00:00 ", "767:7:6e:40:00:00"])
    func otherSpellingsOfMACsAreRefused(text: String) {
        #expect(MACAddress(text) == nil)
    }

    @Test func randomAddressesRoundTripThroughTheirText() throws {
        var random = SeededGenerator(state: 48)
        for _ in 0..<2_000 {
            let ip = IPv4Address(value: UInt32.random(in: 0...UInt32.max, using: &random))
            #expect(IPv4Address(ip.description) == ip)
            let mac = try #require(MACAddress(value: UInt64.random(in: 0..<(1 << 48), using: &random)))
            #expect(MACAddress(mac.description) == mac)
        }
    }
}
