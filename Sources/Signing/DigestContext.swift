import COpenSSL

/// Sole owner of one `EVP_MD_CTX`, used for a single sign or verify operation.
final class DigestContext {
    let pointer: OpaquePointer

    init() throws(SigningError) {
        guard let context = EVP_MD_CTX_new() else {
            throw OpenSSLErrorQueue.error(.openSSLFailure, "cannot allocate a digest context")
        }
        pointer = context
    }

    deinit {
        EVP_MD_CTX_free(pointer)
    }

    /// Prepares the context to sign (`signing`) or verify with `key` under `algorithm`.
    /// Returns false when OpenSSL refuses; the caller drains the error queue.
    func prepare(_ algorithm: SignatureAlgorithm, key: KeyHandle, signing: Bool) -> Bool {
        var keyContext: OpaquePointer?
        let digest = algorithm == .ed25519 ? nil : EVP_sha256()
        let initialised = signing
            ? EVP_DigestSignInit(pointer, &keyContext, digest, nil, key.pointer)
            : EVP_DigestVerifyInit(pointer, &keyContext, digest, nil, key.pointer)
        guard initialised == 1 else { return false }
        // The EVP_PKEY_CTX belongs to the digest context; it is configured, never freed here.
        switch algorithm {
        case .ed25519, .rsaPKCS1SHA256:
            return true
        case .rsaPSSSHA256:
            return EVP_PKEY_CTX_set_rsa_padding(keyContext, RSA_PKCS1_PSS_PADDING) == 1
                && EVP_PKEY_CTX_set_rsa_pss_saltlen(keyContext, SignatureAlgorithm.pssSaltLength) == 1
                && EVP_PKEY_CTX_set_rsa_mgf1_md(keyContext, EVP_sha256()) == 1
        }
    }
}
