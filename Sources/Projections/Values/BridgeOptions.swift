import Signing

/// Per-host bridge settings, from host attributes (the seed guide's known issues 3 and 4).
/// `set host attr` checks them when they are set; network generation reads them.
public struct BridgeOptions: Sendable, Equatable {
    /// Spanning tree; off by default, since its forward delay breaks PXE installs (issue 4).
    public var stp = false
    /// Seconds a port waits before forwarding: 0 with STP off; 2–30 (default 15) with it on.
    public var forwardDelay = 0
    /// Whether to turn the bridge's transmit checksum offload off (issue 3).
    public var txChecksumOff = false

    public static let stpAttribute = "bridge_stp"
    public static let forwardDelayAttribute = "bridge_forward_delay"
    public static let txChecksumAttribute = "bridge_tx_checksum"

    public init(attributes: [String: String]) throws(DomainError) {
        func onOff(_ name: String) throws(DomainError) -> Bool? {
            guard let value = attributes[name] else { return nil }
            switch value.lowercased() {
            case "on", "yes", "true", "1": return true
            case "off", "no", "false", "0": return false
            default: throw DomainError("attribute \(name) must be on or off, not \(MessageText.quote(value))")
            }
        }
        stp = try onOff(Self.stpAttribute) ?? false
        txChecksumOff = try onOff(Self.txChecksumAttribute).map { !$0 } ?? false
        // The kernel takes 2–30 s while STP is on, anything up to 30 s while it is off.
        let range = stp ? 2...30 : 0...30
        forwardDelay = stp ? 15 : 0
        if let text = attributes[Self.forwardDelayAttribute] {
            guard let seconds = Int(text), range.contains(seconds) else {
                throw DomainError("attribute \(Self.forwardDelayAttribute) must be whole seconds from \(range.lowerBound) to \(range.upperBound)\(stp ? " with STP on" : ""), not \(MessageText.quote(text))")
            }
            forwardDelay = seconds
        }
    }
}
