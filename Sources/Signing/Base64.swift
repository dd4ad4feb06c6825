/// Standard base64 with padding (RFC 4648 §4), the spelling of hashes, keys and signatures in
/// C2SP signed notes, checkpoints and proofs.
public enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let reverse: [UInt8] = {
        var table = [UInt8](repeating: 0xff, count: 256)
        for (index, c) in alphabet.enumerated() { table[Int(c)] = UInt8(index) }
        return table
    }()
    private static let pad = UInt8(ascii: "=")

    public static func encode(_ bytes: [UInt8]) -> String {
        var out = [UInt8]()
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index + 3 <= bytes.count {
            let n = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)], alphabet[Int(n & 63)]]
            index += 3
        }
        let rest = bytes.count - index
        if rest == 1 {
            let n = UInt32(bytes[index]) << 16
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], pad, pad]
        } else if rest == 2 {
            let n = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)], pad]
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes padded base64, refusing any text `encode` would not have produced (missing or
    /// stray padding, line breaks, stray bits in the last symbol), so every value has exactly
    /// one spelling and a reader can re-render what it read byte for byte.
    public static func decode<Symbols: Collection<UInt8>>(_ symbols: Symbols) -> [UInt8]? {
        // Over contiguous bytes, without a generic iterator per symbol.
        if let decoded = symbols.withContiguousStorageIfAvailable(decode(contiguous:)) { return decoded }
        return Array(symbols).withUnsafeBufferPointer(decode(contiguous:))
    }

    private static func decode(contiguous symbols: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        guard symbols.count % 4 == 0 else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(symbols.count / 4 * 3)
        var accumulator: UInt32 = 0
        var bitCount = 0
        var padding = 0
        for symbol in symbols {
            if symbol == pad {
                padding += 1
                continue
            }
            // A symbol after padding: padding only ends the text.
            guard padding == 0 else { return nil }
            let value = reverse[Int(symbol)]
            guard value != 0xff else { return nil }
            accumulator = accumulator << 6 | UInt32(value)
            bitCount += 6
            if bitCount >= 8 {
                bitCount -= 8
                out.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bitCount)))
                accumulator &= (1 << UInt32(bitCount)) - 1
            }
        }
        guard padding <= 2, (symbols.count / 4 * 3) - padding == out.count else { return nil }
        // Stray bits in the last symbol: a second spelling of the same bytes.
        return accumulator == 0 ? out : nil
    }

    /// ``decode(_:)`` over a string's UTF-8 bytes.
    public static func decode(_ text: String) -> [UInt8]? {
        decode(Array(text.utf8))
    }
}
