/// Base64url without padding (RFC 4648 §5), the spelling of nonces and signatures in JSON.
public enum Base64URL {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
    private static let reverse: [UInt8] = {
        var table = [UInt8](repeating: 0xff, count: 256)
        for (index, c) in alphabet.enumerated() { table[Int(c)] = UInt8(index) }
        return table
    }()

    public static func encode(_ bytes: [UInt8]) -> String {
        var out = [UInt8]()
        out.reserveCapacity((bytes.count * 4 + 2) / 3)
        var index = 0
        while index + 3 <= bytes.count {
            let n = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)], alphabet[Int(n & 63)]]
            index += 3
        }
        let rest = bytes.count - index
        if rest == 1 {
            let n = UInt32(bytes[index]) << 16
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)]]
        } else if rest == 2 {
            let n = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)]]
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes unpadded base64url, refusing any text that `encode` would not have produced
    /// (padding, stray bits in the last symbol), so every value has exactly one spelling.
    public static func decode(_ text: String) -> [UInt8]? {
        var text = text  // `withUTF8` reads a native string in place, with no copy of its bytes
        return text.withUTF8 { decode(utf8: UnsafeRawBufferPointer($0)) }
    }

    /// ``decode(_:)`` over the text's UTF-8 bytes.
    public static func decode(utf8 symbols: UnsafeRawBufferPointer) -> [UInt8]? {
        var valid = true
        let out = [UInt8](unsafeUninitializedCapacity: symbols.count * 6 / 8) { buffer, initialized in
            let written = decode(utf8: symbols, into: UnsafeMutableRawBufferPointer(buffer))
            valid = written != nil
            initialized = written ?? 0
        }
        return valid ? out : nil
    }

    /// Decodes `symbols` into the start of `out`, returning how many bytes it wrote; nil if
    /// they are not unpadded base64url or do not fit. Every stored record's nonce comes this
    /// way on a rebuild, straight into the nonce's storage.
    static func decode(utf8 symbols: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer) -> Int? {
        guard symbols.count % 4 != 1, symbols.count * 6 / 8 <= out.count else { return nil }
        return reverse.withUnsafeBufferPointer { table in
            var accumulator: UInt32 = 0
            var bitCount = 0
            var written = 0
            for symbol in symbols {
                let value = table[Int(symbol)]
                guard value != 0xff else { return nil }
                accumulator = accumulator << 6 | UInt32(value)
                bitCount += 6
                if bitCount >= 8 {
                    bitCount -= 8
                    out[written] = UInt8(truncatingIfNeeded: accumulator >> UInt32(bitCount))
                    written += 1
                    accumulator &= (1 << UInt32(bitCount)) - 1
                }
            }
            // Stray bits in the last symbol: a second spelling of the same bytes.
            return accumulator == 0 ? written : nil
        }
    }
}
