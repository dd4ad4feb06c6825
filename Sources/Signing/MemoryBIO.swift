import COpenSSL

/// Sole owner of one in-memory `BIO`, the buffer OpenSSL's PEM and DER routines read and write.
final class MemoryBIO {
    let pointer: OpaquePointer

    /// An empty buffer to write into.
    init() throws(SigningError) {
        guard let bio = BIO_new(BIO_s_mem()) else {
            throw OpenSSLErrorQueue.error(.openSSLFailure, "cannot allocate a memory BIO")
        }
        pointer = bio
    }

    /// A buffer holding a copy of `bytes`, for OpenSSL to read from.
    convenience init(reading bytes: [UInt8]) throws(SigningError) {
        try self.init()
        let written = bytes.withUnsafeBytes { raw in BIO_write(pointer, raw.baseAddress, Int32(raw.count)) }
        guard written == bytes.count || bytes.isEmpty else {
            throw OpenSSLErrorQueue.error(.openSSLFailure, "cannot fill a memory BIO")
        }
    }

    deinit {
        BIO_free(pointer)
    }

    /// Everything written so far.
    var contents: [UInt8] {
        var data: UnsafeMutablePointer<CChar>?
        let count = rocks_BIO_get_mem_data(pointer, &data)
        guard count > 0, let data else { return [] }
        return data.withMemoryRebound(to: UInt8.self, capacity: count) { Array(UnsafeBufferPointer(start: $0, count: count)) }
    }
}
