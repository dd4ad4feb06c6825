/// How a value someone typed appears in a message: never raw, never endless.
///
/// Error lines reach terminals and logs, so control characters (a NUL, an escape sequence,
/// a newline that would forge a second line) are written as escapes, and a value longer than
/// a line is cut, with its length said, rather than echoed whole.
public enum MessageText {
    /// The longest value a message quotes whole.
    public static let quotedLimit = 64

    /// `text` in single quotes, escaped, and cut at ``quotedLimit`` characters with its
    /// length said: `'aaaa…' (3000 characters)`.
    public static func quote(_ text: some StringProtocol) -> String {
        let count = text.count
        guard count > quotedLimit else { return "'\(escaped(text))'" }
        return "'\(escaped(text.prefix(quotedLimit)))…' (\(count) characters)"
    }

    /// `text` escaped and cut as ``quote(_:)`` does, in the double quotes Rocks' messages use.
    public static func doubleQuote(_ text: some StringProtocol) -> String {
        let count = text.count
        guard count > quotedLimit else { return "\"\(escaped(text))\"" }
        return "\"\(escaped(text.prefix(quotedLimit)))…\" (\(count) characters)"
    }

    /// `text` with every control character (C0, DEL and C1) written as `\n`, `\t`, `\r` or
    /// `\u{XX}`; everything else, backslashes included, as it is.
    public static func escaped(_ text: some StringProtocol) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return String(text) }
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case _ where isControl(scalar): out += "\\u{\(String(scalar.value, radix: 16))}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Whether `text` holds a control character (C0, DEL or C1).
    public static func hasControl(_ text: some StringProtocol) -> Bool { text.unicodeScalars.contains(where: isControl) }

    public static func isControl(_ scalar: Unicode.Scalar) -> Bool { scalar.value < 0x20 || (0x7f...0x9f).contains(scalar.value) }
}
