import COpenSSL

/// OpenSSL reports failures on a thread-local queue. Every failing call is followed by
/// `drain()` in the same frame, so a message never leaks into an unrelated later error.
enum OpenSSLErrorQueue {
    /// Empties the queue and returns the most specific (last) reason, or nil.
    static func drain() -> String? {
        var last: String?
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            last = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        return last
    }

    /// Builds an error for a failed call, with OpenSSL's own reason attached when it gave one.
    static func error(_ code: SigningError.Code, _ message: String) -> SigningError {
        if let reason = drain() {
            return SigningError(code, "\(message) (\(reason))")
        }
        return SigningError(code, message)
    }
}
