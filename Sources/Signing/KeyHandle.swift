import COpenSSL

/// Sole owner of one `EVP_PKEY`.
///
/// `@unchecked Sendable`: OpenSSL 3 documents an `EVP_PKEY` as safe to use from several
/// threads at once as long as it is not modified; we never modify a key after creating it,
/// and each sign or verify makes its own `EVP_MD_CTX`.
final class KeyHandle: @unchecked Sendable {
    let pointer: OpaquePointer

    init(takingOwnershipOf pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        EVP_PKEY_free(pointer)
    }

    /// The OpenSSL key type (`EVP_PKEY_ED25519`, `EVP_PKEY_RSA`, ...).
    var baseID: Int32 { EVP_PKEY_get_base_id(pointer) }

    var bits: Int { Int(EVP_PKEY_get_bits(pointer)) }
}
