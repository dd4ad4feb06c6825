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
        // A native string lends its UTF-8 in place; a bridged or sliced one is copied once.
        if let decoded = text.utf8.withContiguousStorageIfAvailable({ decode(utf8: UnsafeRawBufferPointer($0)) }) {
            return decoded
        }
        return Array(text.utf8).withUnsafeBytes { decode(utf8: $0) }
    }

    /// ``decode(_:)`` over the text's UTF-8 bytes.
    public static func decode(utf8: UnsafeRawBufferPointer) -> [UInt8]? {
        guard utf8.count % 2 == 0 else { return nil }
        let count = utf8.count / 2
        var valid = true
        let decoded = [UInt8](unsafeUninitializedCapacity: count) { out, initialized in
            for index in 0..<count {
                guard let high = value(utf8[2 * index]), let low = value(utf8[2 * index + 1]) else {
                    valid = false
                    return
                }
                out[index] = high << 4 | low
            }
            initialized = count
        }
        return valid ? decoded : nil
    }

    private static func value(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        default: return nil
        }
    }
}
