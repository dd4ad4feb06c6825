/// Lowercase hexadecimal, the only form key ids, digests and ledger ids take in text.
public enum Hex {
    /// The sixteen digits, as bytes, for writers of hex in other forms (a MAC, a `\u00xx`).
    public static let digits = Array("0123456789abcdef".utf8)

    public static func encode<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        var out = [UInt8]()
        out.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes lowercase hex only; uppercase is refused so that each value has one spelling.
    public static func decode(_ text: some StringProtocol) -> [UInt8]? {
        withUTF8(of: text) { decode(utf8: $0) }
    }

    /// Calls `body` with `text`'s UTF-8: a native string lends it in place; a bridged or
    /// sliced one is copied once.
    static func withUTF8<R>(of text: some StringProtocol, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        if let result = text.utf8.withContiguousStorageIfAvailable({ body(UnsafeRawBufferPointer($0)) }) { return result }
        return Array(text.utf8).withUnsafeBytes(body)
    }

    /// ``decode(_:)`` over the text's UTF-8 bytes.
    public static func decode(utf8: UnsafeRawBufferPointer) -> [UInt8]? {
        guard utf8.count % 2 == 0 else { return nil }
        var valid = true
        let decoded = [UInt8](unsafeUninitializedCapacity: utf8.count / 2) { out, initialized in
            valid = decode(utf8: utf8, into: UnsafeMutableRawBufferPointer(out))
            initialized = valid ? out.count : 0
        }
        return valid ? decoded : nil
    }

    /// Decodes `utf8` into `out`, which must be half as long; false if it is not hex.
    static func decode(utf8: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer) -> Bool {
        guard utf8.count == 2 * out.count else { return false }
        for index in 0..<out.count {
            guard let high = value(utf8[2 * index]), let low = value(utf8[2 * index + 1]) else { return false }
            out[index] = high << 4 | low
        }
        return true
    }

    /// Whether `utf8` is lowercase hex digits only (an even count is the caller's to check).
    static func isLowercase(utf8: UnsafeRawBufferPointer) -> Bool {
        utf8.allSatisfy { value($0) != nil }
    }

    private static func value(_ c: UInt8) -> UInt8? {
        // Wrapping subtraction: one comparison per range.
        let digit = c &- UInt8(ascii: "0")
        if digit < 10 { return digit }
        let letter = c &- UInt8(ascii: "a")
        return letter < 6 ? letter + 10 : nil
    }
}
