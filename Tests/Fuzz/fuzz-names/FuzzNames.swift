import FuzzSupport
import Projections

/// IP addresses, MACs and host names, parsed strictly: what is accepted is written back as
/// it was given (lower-case for MACs), and a host name accepted is a valid DNS label that no
/// host-list keyword means.
enum FuzzNames {
    static func check(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        if let ip = IPv4Address(text) {
            FuzzInput.require(ip.description == text, "IPv4 \(text) is written back as \(ip.description)")
            FuzzInput.require(IPv4Address(ip.description) == ip, "IPv4 does not read back")
        }
        if let mac = MACAddress(text) {
            FuzzInput.require(mac.description == text.lowercased(), "MAC \(text) is written back as \(mac.description)")
            FuzzInput.require(MACAddress(mac.description) == mac, "MAC does not read back")
        }
        if (try? HostName.check(text)) != nil {
            FuzzInput.require(FrontendSettings.isValidHostName(text) && text.utf8.count <= HostName.limit && !text.contains("."),
                              "host name \(text) is accepted but is no DNS label")
            FuzzInput.require(Membership.allCases.allSatisfy { $0.appliance != text }, "host name \(text) is an appliance name")
            FuzzInput.require(!(text.hasPrefix("rack") && Int64(text.dropFirst(4)) != nil), "host name \(text) is a rack keyword")
        }
    }
}

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzNames.check(FuzzInput.bytes(data, size))
    return 0
}
#else
@main enum Replay {
    static func main() { FuzzInput.replay(FuzzNames.check) }
}
#endif
