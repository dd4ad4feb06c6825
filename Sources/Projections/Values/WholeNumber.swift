import Signing

/// A whole-number parameter with its range and unit, so a refusal says what is allowed
/// (`mem must be a whole number of MiB from 1 to 4194304, not '0'`) rather than only that
/// the value is wrong.
public struct WholeNumber: Sendable {
    public let name: String
    public let range: ClosedRange<Int64>
    public let unit: String?

    public init(_ name: String, _ range: ClosedRange<Int64>, unit: String? = nil) {
        self.name = name
        self.range = range
        self.unit = unit
    }

    /// What the value must be, as refusals say it.
    public var expectation: String {
        "a whole number\(unit.map { " of \($0)" } ?? "") from \(range.lowerBound) to \(range.upperBound)"
    }

    public func parse(_ text: String) throws(DomainError) -> Int64 {
        guard let number = Int64(text), range.contains(number) else {
            throw DomainError("\(name) must be \(expectation), not \(MessageText.quote(text))")
        }
        return number
    }

    /// Every range stays inside canonical JSON's exact integers (|n| < 2^53).
    static let largest: Int64 = 1 << 40

    static func rack(_ name: String = "rack") -> WholeNumber { WholeNumber(name, 0...65_535) }
    static func rank(_ name: String = "rank") -> WholeNumber { WholeNumber(name, 0...65_535) }
    /// KVM's limit on a guest's virtual CPUs.
    static func cpus(_ name: String = "cpus") -> WholeNumber { WholeNumber(name, 1...1024) }
    static func memory(_ name: String = "mem") -> WholeNumber { WholeNumber(name, 1...4_194_304, unit: "MiB") }
    static func diskSize(_ name: String = "disksize") -> WholeNumber { WholeNumber(name, 1...65_536, unit: "GB") }
    /// A VM's NICs each take a PCI slot of the 32 its bus has, some of them already used.
    static let macCount = WholeNumber("num-macs", 1...16)
    static let slice = WholeNumber("slice", 0...999_999)
    static let keyNumber = WholeNumber("id", 1...largest)
    static func vlan(_ name: String = "vlan") -> WholeNumber { WholeNumber(name, Allocator.vlanRange) }
}

extension RequestEnvelope {
    /// The argument `number.name`, when given and not empty, checked against its range.
    func number(_ number: WholeNumber, default value: Int64? = nil) throws(DomainError) -> Int64? {
        guard let text = args[number.name], !text.isEmpty else { return value }
        return try number.parse(text)
    }
}
