import COpenSSL

/// The Airboss's TLS identity: an ECDSA P-256 key made for it, and an X.509 certificate for
/// that key signed by the frontend key, which makes the frontend key a CA of one.
///
/// TLS peers commonly do not offer Ed25519 for the handshake, so the frontend key signs the
/// certificate and the P-256 key signs the handshake. A client that pins the frontend key
/// checks the certificate itself (``isSigned(by:)``, ``ledger``, ``isCurrent(at:)``): no CA
/// store, no host name, since through an ssh tunnel every frontend is `localhost:8677`.
public struct ServerCertificate: Sendable {
    /// The certificate as DER.
    public let der: [UInt8]
    /// The ledger the subject's common name binds the key to (`rocks airboss <ledger id>`).
    public let ledger: LedgerID?
    /// The key the handshake is signed with, as a DER SubjectPublicKeyInfo.
    public let subjectKeyDER: [UInt8]
    private let certificate: X509Handle

    static let commonNamePrefix = "rocks airboss "
    /// A certificate larger than this is not read.
    public static let sizeLimit = 16 * 1024

    /// Reads a DER certificate; trusts nothing.
    public init(der: [UInt8]) throws(SigningError) {
        guard der.count <= Self.sizeLimit else { throw SigningError(.malformedKey, "the server's certificate is larger than \(Self.sizeLimit) bytes") }
        let parsed: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
            var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
            return d2i_X509(nil, &cursor, buffer.count)
        }
        guard let parsed else { throw OpenSSLErrorQueue.error(.malformedKey, "the server's certificate is not DER X.509") }
        certificate = X509Handle(parsed)
        self.der = der
        self.ledger = Self.commonName(of: parsed).flatMap { name in
            name.hasPrefix(Self.commonNamePrefix) ? LedgerID(hex: name.dropFirst(Self.commonNamePrefix.count)) : nil
        }
        guard let key = X509_get0_pubkey(parsed) else { throw OpenSSLErrorQueue.error(.malformedKey, "the server's certificate holds no key") }
        let length = i2d_PUBKEY(key, nil)
        guard length > 0 else { throw OpenSSLErrorQueue.error(.malformedKey, "the server's certificate key cannot be encoded") }
        var spki = [UInt8](repeating: 0, count: Int(length))
        _ = spki.withUnsafeMutableBufferPointer { buffer in
            var cursor: UnsafeMutablePointer<UInt8>? = buffer.baseAddress
            return i2d_PUBKEY(key, &cursor)
        }
        subjectKeyDER = spki
    }

    /// Whether `issuer` signed this certificate.
    public func isSigned(by issuer: PublicKey) -> Bool {
        let valid = X509_verify(certificate.pointer, issuer.handle.pointer) == 1
        _ = OpenSSLErrorQueue.drain()
        return valid
    }

    /// Whether `now` lies within the certificate's validity.
    public func isCurrent(at now: Timestamp) -> Bool {
        var time = time_t(now.seconds)
        guard let notBefore = X509_get0_notBefore(certificate.pointer), let notAfter = X509_get0_notAfter(certificate.pointer) else { return false }
        return X509_cmp_time(notBefore, &time) <= 0 && X509_cmp_time(notAfter, &time) > 0
    }

    /// The certificate as PEM, which TLS libraries load.
    public var pem: String {
        get throws(SigningError) {
            let bio = try MemoryBIO()
            guard PEM_write_bio_X509(bio.pointer, certificate.pointer) == 1 else {
                throw OpenSSLErrorQueue.error(.openSSLFailure, "cannot write the certificate")
            }
            return String(decoding: bio.contents, as: UTF8.self)
        }
    }

    /// Reads the first certificate of a PEM file.
    public init(pem: String) throws(SigningError) {
        let bio = try MemoryBIO(reading: Array(pem.utf8))
        guard let parsed = PEM_read_bio_X509(bio.pointer, nil, rocks_no_passphrase, nil) else {
            throw OpenSSLErrorQueue.error(.malformedKey, "not a PEM certificate")
        }
        try self.init(der: X509Handle(parsed).der)
    }

    private static func commonName(of certificate: OpaquePointer) -> String? {
        guard let subject = X509_get_subject_name(certificate) else { return nil }
        let index = X509_NAME_get_index_by_NID(subject, NID_commonName, -1)
        guard index >= 0, let entry = X509_NAME_get_entry(subject, index), let data = X509_NAME_ENTRY_get_data(entry),
              let bytes = ASN1_STRING_get0_data(data)
        else { return nil }
        return String(decoding: UnsafeBufferPointer(start: bytes, count: Int(ASN1_STRING_length(data))), as: UTF8.self)
    }

    // MARK: Issuing

    /// A new ECDSA P-256 private key as PKCS#8 PEM: the Airboss's TLS key.
    public static func makeServerKeyPEM() throws(SigningError) -> String {
        guard let context = EVP_PKEY_CTX_new_from_name(nil, "EC", nil) else {
            throw OpenSSLErrorQueue.error(.openSSLFailure, "cannot set up P-256 key generation")
        }
        defer { EVP_PKEY_CTX_free(context) }
        var key: OpaquePointer?
        guard EVP_PKEY_keygen_init(context) == 1, EVP_PKEY_CTX_set_group_name(context, "P-256") == 1,
              EVP_PKEY_generate(context, &key) == 1, let key
        else { throw OpenSSLErrorQueue.error(.openSSLFailure, "P-256 key generation failed") }
        let handle = KeyHandle(takingOwnershipOf: key)
        let bio = try MemoryBIO()
        guard PEM_write_bio_PKCS8PrivateKey(bio.pointer, handle.pointer, nil, nil, 0, nil, nil) == 1 else {
            throw OpenSSLErrorQueue.error(.openSSLFailure, "cannot write the P-256 key")
        }
        return String(decoding: bio.contents, as: UTF8.self)
    }

    /// A certificate for the P-256 key in `serverKeyPEM`, naming `ledger`, valid from five
    /// minutes before `now` (clock skew) for `days`, signed by `issuer` (the frontend key).
    public static func issue(serverKeyPEM: String, ledger: LedgerID, issuer: PrivateKey, now: Timestamp, days: Int) throws(SigningError) -> ServerCertificate {
        let bio = try MemoryBIO(reading: Array(serverKeyPEM.utf8))
        guard let raw = PEM_read_bio_PrivateKey(bio.pointer, nil, rocks_no_passphrase, nil) else {
            throw OpenSSLErrorQueue.error(.malformedKey, "cannot read the Airboss's TLS key")
        }
        let serverKey = KeyHandle(takingOwnershipOf: raw)
        guard serverKey.baseID == EVP_PKEY_EC else { throw SigningError(.unsupportedKey, "the Airboss's TLS key is not an ECDSA key") }
        guard let made = X509_new() else { throw OpenSSLErrorQueue.error(.openSSLFailure, "cannot allocate a certificate") }
        let certificate = X509Handle(made)
        let x509 = certificate.pointer
        let serial = SecureRandom.bytes(8).reduce(Int64(0)) { $0 << 8 | Int64($1) } & Int64.max
        var start = time_t(now.seconds - 300)
        guard X509_set_version(x509, 2) == 1, ASN1_INTEGER_set_int64(X509_get_serialNumber(x509), max(serial, 1)) == 1,
              X509_time_adj_ex(X509_getm_notBefore(x509), 0, 0, &start) != nil,
              X509_time_adj_ex(X509_getm_notAfter(x509), Int32(days), 300, &start) != nil,
              setName(X509_get_subject_name(x509), commonNamePrefix + ledger.hex),
              setName(X509_get_issuer_name(x509), "rocks frontend " + issuer.id.short),
              X509_set_pubkey(x509, serverKey.pointer) == 1,
              // Ed25519 signs the message itself: no digest is named.
              X509_sign(x509, issuer.handle.pointer, issuer.kind == .ed25519 ? nil : EVP_sha256()) > 0
        else { throw OpenSSLErrorQueue.error(.openSSLFailure, "cannot issue the Airboss's certificate") }
        return try ServerCertificate(der: certificate.der)
    }

    private static func setName(_ name: OpaquePointer?, _ commonName: String) -> Bool {
        guard let name else { return false }
        return X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, commonName, -1, -1, 0) == 1
    }
}

/// Sole owner of one `X509`; never modified once read or issued.
private final class X509Handle: @unchecked Sendable {
    let pointer: OpaquePointer

    init(_ pointer: OpaquePointer) { self.pointer = pointer }

    deinit { X509_free(pointer) }

    var der: [UInt8] {
        let length = i2d_X509(pointer, nil)
        var der = [UInt8](repeating: 0, count: Int(max(length, 0)))
        _ = der.withUnsafeMutableBufferPointer { buffer in
            var cursor: UnsafeMutablePointer<UInt8>? = buffer.baseAddress
            return i2d_X509(pointer, &cursor)
        }
        return der
    }
}
