import Foundation
import Signing
import Testing
import TestSupport

/// Our keys and signatures against the `openssl` command line, both ways.
@Suite struct OpenSSLInteropTests {
    let directory = TemporaryDirectory("signing")

    private func openssl(_ arguments: [String]) throws -> ProcessRunner.Output {
        try ProcessRunner.run("openssl", arguments)
    }

    private func write(_ text: String, _ name: String) throws -> String {
        let path = directory.file(name)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test(arguments: [KeyKind.ed25519, .rsa])
    func opensslReadsOurKeysAndComputesTheSameKeyID(kind: KeyKind) throws {
        let key = try PrivateKey.generate(kind, rsaBits: 2048)
        let privatePath = try write(try key.pkcs8PEM(), "key.pem")
        let publicFromPrivate = try openssl(["pkey", "-in", privatePath, "-pubout"])
        #expect(publicFromPrivate.status == 0)
        #expect(publicFromPrivate.stdout == key.publicKey.pem)

        let publicPath = try write(key.publicKey.pem, "pub.pem")
        let der = try openssl(["pkey", "-pubin", "-in", publicPath, "-outform", "DER"])
        #expect(der.status == 0)
        #expect(Array(der.stdoutData) == key.publicKey.spkiDER)
        #expect(Hex.encode(SHA256.hash(Array(der.stdoutData))) == key.id.hex)
    }

    @Test func opensslVerifiesOurEd25519Signature() throws {
        let key = try PrivateKey.generate(.ed25519)
        let message = Array("power on 76:77:6e:40:00:00".utf8)
        let signature = try key.sign(message)
        let messagePath = directory.file("msg"), signaturePath = directory.file("sig")
        try Data(message).write(to: URL(fileURLWithPath: messagePath))
        try Data(signature).write(to: URL(fileURLWithPath: signaturePath))
        let publicPath = try write(key.publicKey.pem, "pub.pem")
        let result = try openssl(["pkeyutl", "-verify", "-pubin", "-inkey", publicPath, "-rawin", "-in", messagePath, "-sigfile", signaturePath])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Signature Verified Successfully"))
    }

    @Test func opensslVerifiesOurRSAPSSSignature() throws {
        let key = try PrivateKey.generate(.rsa, rsaBits: 2048)
        let message = Array("list macs".utf8)
        let signature = try key.sign(message, algorithm: .rsaPSSSHA256)
        let messagePath = directory.file("msg"), signaturePath = directory.file("sig")
        try Data(message).write(to: URL(fileURLWithPath: messagePath))
        try Data(signature).write(to: URL(fileURLWithPath: signaturePath))
        let publicPath = try write(key.publicKey.pem, "pub.pem")
        let result = try openssl(["dgst", "-sha256", "-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:32",
                                  "-verify", publicPath, "-signature", signaturePath, messagePath])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Verified OK"))
    }

    @Test(arguments: [
        (["-algorithm", "ed25519"], SignatureAlgorithm.ed25519),
        (["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"], .rsaPSSSHA256),
    ])
    func weReadOpensslKeysAndVerifyItsSignatures(options: [String], algorithm: SignatureAlgorithm) throws {
        let privatePath = directory.file("openssl.pem")
        #expect(try openssl(["genpkey"] + options + ["-out", privatePath]).status == 0)
        let key = try PrivateKey(pem: String(contentsOfFile: privatePath, encoding: .utf8))
        let message = Array("add host key".utf8)
        let messagePath = directory.file("msg"), signaturePath = directory.file("sig")
        try Data(message).write(to: URL(fileURLWithPath: messagePath))
        let sign = algorithm == .ed25519
            ? ["pkeyutl", "-sign", "-inkey", privatePath, "-rawin", "-in", messagePath, "-out", signaturePath]
            : ["dgst", "-sha256", "-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:32", "-sign", privatePath, "-out", signaturePath, messagePath]
        #expect(try openssl(sign).status == 0)
        let signature = Array(try Data(contentsOf: URL(fileURLWithPath: signaturePath)))
        #expect(key.publicKey.isValidSignature(signature, for: message, algorithm: algorithm))
        #expect(!key.publicKey.isValidSignature(signature, for: message + [0], algorithm: algorithm))
    }

    @Test func rsaPKCS1SignaturesFromOtherToolsVerify() throws {
        let privatePath = directory.file("rsa.pem")
        #expect(try openssl(["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", privatePath]).status == 0)
        let key = try PrivateKey(pem: String(contentsOfFile: privatePath, encoding: .utf8))
        let messagePath = directory.file("msg"), signaturePath = directory.file("sig")
        try Data("power off".utf8).write(to: URL(fileURLWithPath: messagePath))
        #expect(try openssl(["dgst", "-sha256", "-sign", privatePath, "-out", signaturePath, messagePath]).status == 0)
        let signature = Array(try Data(contentsOf: URL(fileURLWithPath: signaturePath)))
        #expect(key.publicKey.isValidSignature(signature, for: Array("power off".utf8), algorithm: .rsaPKCS1SHA256))
        // The same bytes are not a valid PSS signature: the algorithm is part of the meaning.
        #expect(!key.publicKey.isValidSignature(signature, for: Array("power off".utf8), algorithm: .rsaPSSSHA256))
    }

    @Test func encryptedKeysRoundTripWithOpensslAndNeedTheRightPassphrase() throws {
        let key = try PrivateKey.generate(.ed25519)
        let path = try write(try key.pkcs8PEM(passphrase: "correct horse"), "enc.pem")
        let contents = try String(contentsOfFile: path, encoding: .utf8)
        #expect(contents.hasPrefix("-----BEGIN ENCRYPTED PRIVATE KEY-----"))
        #expect(try openssl(["pkey", "-in", path, "-passin", "pass:correct horse", "-noout"]).status == 0)
        #expect(try openssl(["pkey", "-in", path, "-passin", "pass:wrong", "-noout"]).status != 0)
        let asn1 = try openssl(["asn1parse", "-in", path])
        #expect(asn1.stdout.contains("aes-256-cbc"))
        #expect(asn1.stdout.contains("PBKDF2"))

        #expect(try PrivateKey(pem: contents, passphrase: "correct horse").id == key.id)
        #expect(throws: SigningError(.wrongPassphrase, "")) { try PrivateKey(pem: contents, passphrase: "wrong") }
        #expect(throws: SigningError(.passphraseRequired, "")) { try PrivateKey(pem: contents) }

        let theirs = directory.file("theirs.pem")
        #expect(try openssl(["genpkey", "-algorithm", "ed25519", "-aes-256-cbc", "-pass", "pass:s3cret", "-out", theirs]).status == 0)
        let theirText = try String(contentsOfFile: theirs, encoding: .utf8)
        #expect(throws: SigningError(.wrongPassphrase, "")) { try PrivateKey(pem: theirText, passphrase: "nope") }
        _ = try PrivateKey(pem: theirText, passphrase: "s3cret")
    }

    @Test func weakAndUnsupportedKeysAreRefusedWithAReason() throws {
        let weak = directory.file("weak.pem")
        #expect(try openssl(["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024", "-out", weak]).status == 0)
        let weakText = try String(contentsOfFile: weak, encoding: .utf8)
        let error = #expect(throws: SigningError.self) { try PrivateKey(pem: weakText) }
        #expect(error?.code == .weakKey)
        #expect(error?.message.contains("1024 bits") == true)
        let weakPublic = try openssl(["pkey", "-in", weak, "-pubout"]).stdout
        #expect(throws: SigningError(.weakKey, "")) { try PublicKey(pem: weakPublic) }
        #expect(throws: SigningError(.weakKey, "")) { try PrivateKey.generate(.rsa, rsaBits: 1024) }

        let ec = directory.file("ec.pem")
        #expect(try openssl(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", ec]).status == 0)
        #expect(throws: SigningError(.unsupportedKey, "")) { try PrivateKey(pem: String(contentsOfFile: ec, encoding: .utf8)) }

        let sha1 = #expect(throws: SigningError.self) { try SignatureAlgorithm(name: "rsa-pkcs1-sha1") }
        #expect(sha1?.code == .unsupportedAlgorithm)
        #expect(sha1?.message.contains("SHA-1") == true)
    }

    @Test func aPrivateKeyIsNotAcceptedWhereAPublicKeyIsExpected() throws {
        let key = try PrivateKey.generate()
        #expect(throws: SigningError(.malformedKey, "")) { try PublicKey(pem: try key.pkcs8PEM()) }
        #expect(throws: SigningError(.malformedKey, "")) { try PublicKey(pem: "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n") }
    }
}
