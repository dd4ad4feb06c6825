import Signing
import Testing

@Suite struct TimestampTests {
    @Test(arguments: [
        ("1970-01-01T00:00:00Z", Int64(0)),
        ("2000-02-29T12:34:56Z", 951_827_696),
        ("2026-11-28T06:14:20Z", 1_795_846_460),
        ("1969-12-31T23:59:59Z", -1),
    ])
    func parsesAndPrintsWholeSeconds(text: String, seconds: Int64) throws {
        let time = try #require(Timestamp(rfc3339: text))
        #expect(time.seconds == seconds)
        #expect(time.rfc3339Seconds == text)
    }

    @Test func keepsNanoseconds() throws {
        let time = try #require(Timestamp(rfc3339: "2026-11-28T06:14:20.000000123Z"))
        #expect(time.nanoseconds == 1_795_846_460_000_000_123)
        #expect(time.rfc3339Nanoseconds == "2026-11-28T06:14:20.000000123Z")
        #expect(Timestamp(rfc3339: "2026-11-28T06:14:20.5Z")?.nanoseconds == 1_795_846_460_500_000_000)
    }

    @Test(arguments: ["2026-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-11-28T24:00:00Z", "2026-11-28T06:14:20+01:00",
                      "2026-11-28t06:14:20z", "2026-11-28T06:14:20.Z", "2026-11-28T06:14:20.1234567890Z", "26-11-28T06:14:20Z"])
    func refusesMalformedTimes(text: String) {
        #expect(Timestamp(rfc3339: text) == nil)
    }
}
