import COpenSSL
import CSodium
import Crypto
import Signing
import Dispatch
import Foundation

/// The other floor: Ed25519 verification of the same signatures over the same bytes by the
/// libraries alone, on every core, with no parsing or storage around it.
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

    /// The Ed25519 verifiers a Swift program on Linux can pick, each called as directly as
    /// its library allows.
    enum Verifier: CaseIterable {
        case openSSL, libsodium, swiftCrypto

        var name: String {
            switch self {
            case .openSSL: String(cString: OpenSSL_version(OPENSSL_VERSION))
            case .libsodium: "libsodium \(String(cString: sodium_version_string()))"
            case .swiftCrypto: "swift-crypto (BoringSSL)"
            }
        }
    }

    /// Verifies `signatures[i]` over `messages[i]` with the raw 32-byte `key` on `cores`
    /// threads; returns how many passed.
    static func verifyAll(_ verifier: Verifier, key: [UInt8], messages: [[UInt8]], signatures: [[UInt8]], cores: Int) -> Int {
        precondition(sodium_init() >= 0)
        nonisolated(unsafe) let evpKey = ed25519Key(fromSPKI: try! PublicKey(rawEd25519: key).spkiDER)
        defer { EVP_PKEY_free(evpKey) }
        let cryptoKey = try! Curve25519.Signing.PublicKey(rawRepresentation: key)
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
                let ok: Bool
                switch verifier {
                case .openSSL:
                    EVP_DigestVerifyInit(context, nil, nil, nil, evpKey)
                    ok = signatures[index].withUnsafeBufferPointer { sig in
                        messages[index].withUnsafeBufferPointer { msg in
                            EVP_DigestVerify(context, sig.baseAddress, sig.count, msg.baseAddress, msg.count)
                        }
                    } == 1
                case .libsodium:
                    ok = crypto_sign_verify_detached(signatures[index], messages[index], UInt64(messages[index].count), key) == 0
                case .swiftCrypto:
                    ok = cryptoKey.isValidSignature(signatures[index], for: messages[index])
                }
                if ok { counts[slice] += 1 }
                index += 1
            }
        }
        return passed.reduce(0, +)
    }

    /// Ed25519 verifications per second on every core with each library alone, over the same
    /// signatures: the floor under any signed-request rate.
    static func verifyFloors(count: Int = 20_000) -> [(verifier: Verifier, count: Int, time: Double)] {
        let key = signer()
        let messages = (0..<count).map { Array("request \($0) of the verify floor".utf8) }
        let signatures = messages.map { message in
            var signature = [UInt8](repeating: 0, count: 64)
            let context = EVP_MD_CTX_new()
            defer { EVP_MD_CTX_free(context) }
            EVP_DigestSignInit(context, nil, nil, nil, key)
            var length = 64
            message.withUnsafeBufferPointer { msg in _ = EVP_DigestSign(context, &signature, &length, msg.baseAddress, msg.count) }
            return signature
        }
        var raw = [UInt8](repeating: 0, count: 32)
        var rawLength = 32
        EVP_PKEY_get_raw_public_key(key, &raw, &rawLength)
        let cores = ProcessInfo.processInfo.activeProcessorCount
        return Verifier.allCases.map { verifier in
            var verified = 0
            let time = seconds { verified = verifyAll(verifier, key: raw, messages: messages, signatures: signatures, cores: cores) }
            precondition(verified == count, "the verify floor's own signatures did not verify with \(verifier.name)")
            return (verifier, count, time)
        }
    }

    /// Ed25519 signatures per second on every core with OpenSSL, as `pilot` signs a request:
    /// the client's floor.
    static func signFloor(count: Int = 20_000) -> (count: Int, time: Double) {
        nonisolated(unsafe) let key = signer()
        defer { EVP_PKEY_free(key) }
        let messages = (0..<count).map { Array("request \($0) of the sign floor".utf8) }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let time = seconds {
            DispatchQueue.concurrentPerform(iterations: cores) { slice in
                for index in (slice * count / cores)..<((slice + 1) * count / cores) {
                    precondition(sign(key, messages[index]) == 64)
                }
            }
        }
        return (count, time)
    }
}
