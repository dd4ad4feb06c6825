#if canImport(Glibc)
import Glibc
#endif

/// A UTC instant with nanosecond resolution, written as RFC 3339 (`2026-11-28T06:14:20Z`).
///
/// Converted by hand (days from the civil calendar) so that parsing and printing are exact,
/// locale-free and the same on every machine.
public struct Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let nanoseconds: Int64

    public init(nanosecondsSinceEpoch: Int64) { nanoseconds = nanosecondsSinceEpoch }
    public init(secondsSinceEpoch: Int64) { nanoseconds = secondsSinceEpoch * 1_000_000_000 }

    public var seconds: Int64 { nanoseconds >= 0 ? nanoseconds / 1_000_000_000 : (nanoseconds - 999_999_999) / 1_000_000_000 }

    /// The system's wall clock.
    public static func now() -> Timestamp {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Timestamp(nanosecondsSinceEpoch: Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec))
    }

    /// Saturates at the ends of the representable range (years 1677 and 2262).
    public func adding(seconds delta: Int64) -> Timestamp {
        let (scaled, overflow) = delta.multipliedReportingOverflow(by: 1_000_000_000)
        let (sum, sumOverflow) = nanoseconds.addingReportingOverflow(scaled)
        if overflow || sumOverflow { return Timestamp(nanosecondsSinceEpoch: delta < 0 ? .min : .max) }
        return Timestamp(nanosecondsSinceEpoch: sum)
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.nanoseconds < rhs.nanoseconds }

    /// `YYYY-MM-DDTHH:MM:SSZ`, the form requests carry (whole seconds).
    public var rfc3339Seconds: String { format(fraction: false) }
    /// `YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ`, the form append times carry.
    public var rfc3339Nanoseconds: String { format(fraction: true) }
    public var description: String { rfc3339Nanoseconds }

    private func format(fraction: Bool) -> String {
        let secs = seconds
        let nanos = nanoseconds - secs * 1_000_000_000
        let days = secs >= 0 ? secs / 86_400 : (secs - 86_399) / 86_400
        let secondOfDay = secs - days * 86_400
        let (year, month, day) = Self.civil(fromDays: days)
        var text = pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + "T"
        text += pad(secondOfDay / 3600, 2) + ":" + pad(secondOfDay / 60 % 60, 2) + ":" + pad(secondOfDay % 60, 2)
        if fraction { text += "." + pad(nanos, 9) }
        return text + "Z"
    }

    private func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// Parses RFC 3339 in UTC (`Z`), with an optional fraction of 1–9 digits. Offsets other
    /// than `Z`, lower-case letters and out-of-range fields are refused.
    public init?(rfc3339 text: String) {
        var text = text  // `withUTF8` reads a native string in place, with no copy of its bytes
        guard let nanoseconds = text.withUTF8(Self.nanoseconds(rfc3339:)) else { return nil }
        self.nanoseconds = nanoseconds
    }

    private static func nanoseconds(rfc3339 c: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard c.count >= 20, c[4] == UInt8(ascii: "-"), c[7] == UInt8(ascii: "-"), c[10] == UInt8(ascii: "T"),
              c[13] == UInt8(ascii: ":"), c[16] == UInt8(ascii: ":"), c.last == UInt8(ascii: "Z"),
              c.count == 20 || c[19] == UInt8(ascii: "."),
              let year = number(c[0..<4]), let month = number(c[5..<7]), let day = number(c[8..<10]),
              let hour = number(c[11..<13]), let minute = number(c[14..<16]), let second = number(c[17..<19])
        else { return nil }
        var nanos: Int64 = 0
        if c.count > 20 {
            let fraction = c[19..<(c.count - 1)]
            guard fraction.first == UInt8(ascii: "."), (2...10).contains(fraction.count),
                  let value = number(fraction.dropFirst())
            else { return nil }
            nanos = value
            for _ in 0..<(10 - fraction.count) { nanos *= 10 }
        }
        guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year),
              hour < 24, minute < 60, second < 60
        else { return nil }
        let days = Self.days(fromCivil: year, month, day)
        let secs = days * 86_400 + hour * 3600 + minute * 60 + second
        let (product, overflow) = secs.multipliedReportingOverflow(by: 1_000_000_000)
        let (sum, sumOverflow) = product.addingReportingOverflow(nanos)
        guard !overflow, !sumOverflow else { return nil }
        return sum
    }

    private static func number(_ digits: Slice<UnsafeBufferPointer<UInt8>>) -> Int64? {
        var value: Int64 = 0
        for d in digits {
            guard d >= UInt8(ascii: "0"), d <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int64(d - UInt8(ascii: "0"))
        }
        return digits.isEmpty ? nil : value
    }

    private static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    // Howard Hinnant's days_from_civil / civil_from_days, exact for the proleptic Gregorian calendar.
    static func days(fromCivil year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
