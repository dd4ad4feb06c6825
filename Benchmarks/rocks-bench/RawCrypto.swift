import COpenSSL
import Dispatch
import Foundation

/// The other floor: OpenSSL's EVP verification of the same signatures over the same bytes,
/// on every core, with no parsing or storage around it.
enum RawCrypto {
    /// One Ed25519 signature with a fresh key, the way a checkpoint is signed: the per-commit
    /// signing cost of the single-append floor.
    static func signer() -> OpaquePointer {
        let context = EVP_PKEY_CTX_new_from_name(nil, "ED25519", nil)
        defer { EVP_PKEY_CTX_free(context) }
        var key: OpaquePointer?
        EVP_PKEY_keygen_init(context)
        EVP_PKEY_generate(context, &key)
        return key!
    }

    static func sign(_ key: OpaquePointer, _ message: [UInt8]) -> Int {
        let context = EVP_MD_CTX_new()
        defer { EVP_MD_CTX_free(context) }
        EVP_DigestSignInit(context, nil, nil, nil, key)
        var signature = [UInt8](repeating: 0, count: 64)
        var length = 64
        message.withUnsafeBufferPointer { msg in
            _ = EVP_DigestSign(context, &signature, &length, msg.baseAddress, msg.count)
        }
        return length
    }

    static func verify(_ key: OpaquePointer, _ message: [UInt8], _ signature: [UInt8]) -> Bool {
        let context = EVP_MD_CTX_new()
        defer { EVP_MD_CTX_free(context) }
        EVP_DigestVerifyInit(context, nil, nil, nil, key)
        return signature.withUnsafeBufferPointer { sig in
            message.withUnsafeBufferPointer { msg in EVP_DigestVerify(context, sig.baseAddress, sig.count, msg.baseAddress, msg.count) }
        } == 1
    }

    static func ed25519Key(fromSPKI der: [UInt8]) -> OpaquePointer {
        der.withUnsafeBufferPointer { buffer in
            var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
            return d2i_PUBKEY(nil, &cursor, buffer.count)!
        }
    }

    /// Verifies `signatures[i]` over `messages[i]` with `key` on `cores` threads; returns how many passed.
    static func verifyAll(key: OpaquePointer, messages: [[UInt8]], signatures: [[UInt8]], cores: Int) -> Int {
        nonisolated(unsafe) let key = key
        let passed = UnsafeMutableBufferPointer<Int>.allocate(capacity: cores)
        passed.initialize(repeating: 0)
        defer { passed.deallocate() }
        nonisolated(unsafe) let counts = passed
        DispatchQueue.concurrentPerform(iterations: cores) { slice in
            var index = slice * messages.count / cores
            let end = (slice + 1) * messages.count / cores
            let context = EVP_MD_CTX_new()
            defer { EVP_MD_CTX_free(context) }
            while index < end {
                EVP_DigestVerifyInit(context, nil, nil, nil, key)
                let ok = signatures[index].withUnsafeBufferPointer { sig in
                    messages[index].withUnsafeBufferPointer { msg in
                        EVP_DigestVerify(context, sig.baseAddress, sig.count, msg.baseAddress, msg.count)
                    }
                }
                if ok == 1 { counts[slice] += 1 }
                index += 1
            }
        }
        return passed.reduce(0, +)
    }

    /// Ed25519 verifications per second on every core, with OpenSSL's EVP interface alone:
    /// the floor under any signed-request rate. Returns the count and the seconds taken.
    static func verifyFloor(count: Int = 20_000) -> (count: Int, time: Double, library: String) {
        let key = signer()
        let messages = (0..<count).map { Array("request \($0) of the verify floor".utf8) }
        let signatures = messages.map { message in
            let context = EVP_MD_CTX_new()
            defer { EVP_MD_CTX_free(context) }
            EVP_DigestSignInit(context, nil, nil, nil, key)
            var signature = [UInt8](repeating: 0, count: 64)
            var length = 64
            message.withUnsafeBufferPointer { msg in _ = EVP_DigestSign(context, &signature, &length, msg.baseAddress, msg.count) }
            return signature
        }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        var verified = 0
        let time = seconds { verified = verifyAll(key: key, messages: messages, signatures: signatures, cores: cores) }
        precondition(verified == count, "the verify floor's own signatures did not verify")
        return (count, time, String(cString: OpenSSL_version(OPENSSL_VERSION)))
    }
}
