import RocksGrammar
import CLI
import Foundation
import Signing
import Testing
import TestSupport

/// Every refusal: one error line, exit status 1, nothing on stdout, nothing appended.
@Suite struct BadInputTests {
    /// Runs a command that must be refused and checks the head did not move.
    private func refused(_ home: RocksHome, _ arguments: [String], _ fragment: String,
                         sourceLocation: SourceLocation = #_sourceLocation) {
        let head = home.head
        expectOneErrorLine(home.run(arguments), fragment, sourceLocation: sourceLocation)
        #expect(home.head == head, "the head moved", sourceLocation: sourceLocation)
    }

    @Test func commandGrammarErrors() throws {
        let home = try RocksHome.initialised()
        let key = Fixtures.path("envelope/test-signer.pub")
        refused(home, ["add", "host", "key", "espresso", "key=\(key)", "colour=blue"], "unknown parameter 'colour' (valid: key, id)")
        refused(home, ["add", "host", "key", "key=\(key)"], "must supply a host")
        refused(home, ["add", "host", "key", "espresso"], "must supply a public key")
        refused(home, ["add", "host", "key", "espresso", "frontend", "key=\(key)"], "must supply only one host")
        refused(home, ["add", "host", "key", "espresso", "key=\(key)", "key=\(key)"], "given twice")
        refused(home, ["remove", "host", "key", "espresso"], "must supply an ID for the key")
        refused(home, ["remove", "host", "key", "espresso", "id=abc"], "id must be a whole number from 1 to")
        refused(home, ["ledger", "log", "from=abc"], "from must be a sequence number or an RFC 3339 UTC time")
        refused(home, ["ledger", "head", "extra"], "unexpected argument 'extra'")
        refused(home, ["list", "host", "key", "output-format=xml"], "output-format must be one of table, json")
        refused(home, ["frobnicate"], "unknown command 'frobnicate' (valid: init, create, add,")
    }

    @Test func unknownHostsAndMissingThings() throws {
        let home = try RocksHome.initialised()
        let key = Fixtures.path("envelope/test-signer.pub")
        refused(home, ["add", "host", "key", "nosuchhost", "key=\(key)"], "cannot resolve host \"nosuchhost\"")
        refused(home, ["remove", "host", "key", "espresso", "id=7"], "public key with id 7 doesn't exist for host espresso")
        #expect(home.run("add", "host", "key", "espresso", "key=\(key)").status == 0)
        refused(home, ["remove", "host", "key", "espresso", "id=1"].dropLast() + ["id=2"], "public key with id 2 doesn't exist")
        #expect(home.run("remove", "host", "key", "espresso", "id=1").status == 0)
        refused(home, ["remove", "host", "key", "espresso", "id=1"], "public key with id 1 doesn't exist for host espresso")
    }

    @Test func badKeyFiles() throws {
        let home = try RocksHome.initialised()
        let key = Fixtures.path("envelope/test-signer.pub")
        refused(home, ["add", "host", "key", "espresso", "key=/nonexistent/owner.pub"], "cannot read /nonexistent/owner.pub")
        let corrupt = try home.write("-----BEGIN PUBLIC KEY-----\nnot base64 at all\n-----END PUBLIC KEY-----\n", "corrupt.pub")
        refused(home, ["add", "host", "key", "espresso", "key=\(corrupt)"], "cannot read the public key")
        refused(home, ["add", "host", "key", "espresso", "key=\(Fixtures.path("envelope/test-signer.pem"))"], "found a private key")
        let weak = home.directory.file("weak.pem")
        #expect(try ProcessRunner.run("openssl", ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024", "-out", weak]).status == 0)
        let weakPublic = try home.write(try ProcessRunner.run("openssl", ["pkey", "-in", weak, "-pubout"]).stdout, "weak.pub")
        refused(home, ["add", "host", "key", "espresso", "key=\(weakPublic)"], "RSA key of 1024 bits is too weak")
        // An Ed25519 key with a small-order component ("Taming the many EdDSAs", case 3), which
        // `openssl pkey` reads without complaint.
        let mixedOrder = try home.write(
            "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAzbJnzkDFzUUwb6XS8pcxRZOH2/nrkzt71a7Zp2W4jU0=\n-----END PUBLIC KEY-----\n", "mixed.pub")
        #expect(try ProcessRunner.run("openssl", ["pkey", "-pubin", "-in", mixedOrder, "-noout"]).status == 0)
        refused(home, ["add", "host", "key", "espresso", "key=\(mixedOrder)"], "Ed25519 key is weak")
        #expect(home.run("add", "host", "key", "espresso", "key=\(key)").status == 0)
        refused(home, ["add", "host", "key", "frontend", "key=\(key)"], "the public key already exists for host espresso")
        let adminPublic = try home.write(try ProcessRunner.run("openssl", ["pkey", "-in", home.path + "/keys/admin.pem", "-pubout"]).stdout, "admin.pub")
        refused(home, ["add", "host", "key", "espresso", "key=\(adminPublic)"], "this ledger's admin key")
    }

    @Test func theAdminKeyMustBePrivateAndIntact() throws {
        let home = try RocksHome.initialised()
        let key = Fixtures.path("envelope/test-signer.pub")
        let admin = home.path + "/keys/admin.pem"
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: admin)
        refused(home, ["add", "host", "key", "espresso", "key=\(key)"], "readable by others: run chmod 600")
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: admin)
        let original = try String(contentsOfFile: admin, encoding: .utf8)
        try "-----BEGIN PRIVATE KEY-----\ngarbage\n-----END PRIVATE KEY-----\n".write(toFile: admin, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: admin)
        refused(home, ["add", "host", "key", "espresso", "key=\(key)"], "cannot read the private key")
        try original.write(toFile: admin, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: admin)
        #expect(home.run("add", "host", "key", "espresso", "key=\(key)").status == 0)
    }

    @Test func initRefusals() throws {
        let home = try RocksHome.initialised()
        refused(home, ["init", "name=espresso.rocksclusters.org", "public-ip=137.110.119.117"], "a ledger already exists")
        let fresh = RocksHome()
        expectOneErrorLine(fresh.run("init", "name=espresso.rocksclusters.org"), "must supply public-ip")
        expectOneErrorLine(fresh.run("init", "name=espresso", "public-ip=137.110.119.300"), "public-ip '137.110.119.300' is not an IPv4 address")
        expectOneErrorLine(fresh.run("init", "name=bad_name!", "public-ip=1.2.3.4"), "name must be the frontend's host name")
        expectOneErrorLine(fresh.run("init", "name=espresso", "public-ip=1.2.3.4", "private-netmask=255.0.255.0"), "not a contiguous netmask")
        // Nothing was left behind by the refusals: a correct init still works.
        #expect(fresh.run("init", "name=espresso.rocksclusters.org", "public-ip=137.110.119.117").status == 0)
        expectOneErrorLine(RocksHome().run("ledger", "verify"), "no ledger at")
    }

    @Test func createKeysRefusals() throws {
        let home = RocksHome()
        let existing = try home.write("x", "existing.pem")
        expectOneErrorLine(home.run("create", "keys"), "must supply key=")
        expectOneErrorLine(home.run("create", "keys", "key=\(existing)", "passphrase=no"), "already exists")
        expectOneErrorLine(home.run("create", "keys", "key=\(home.directory.file("a.pem"))", "type=dsa", "passphrase=no"), "type must be one of ed25519, rsa")
        expectOneErrorLine(home.run("create", "keys", "key=\(home.directory.file("b.pem"))", "type=rsa", "bits=1024", "passphrase=no"), "bits must be a whole number from 2048 to 4096, not '1024'")
        expectOneErrorLine(home.run("create", "keys", "key=\(home.directory.file("c.pem"))"), "passphrase=yes needs a terminal or passphrase-file=")
        expectOneErrorLine(home.run("create", "keys", "key=\(home.directory.file("d.pem"))", "bits=2048", "passphrase=no"), "bits= applies to type=rsa only")
        for name in ["a.pem", "b.pem", "c.pem", "d.pem"] {
            #expect(!FileManager.default.fileExists(atPath: home.directory.file(name)), "\(name) was written")
        }
    }

    @Test func requestsThatMustNotBeAppended() throws {
        let home = try RocksHome.initialised()
        let ownerKey = try PrivateKey.generate()
        let keyArgument = Fixtures.path("envelope/test-signer.pub")

        // Signed by a key the ledger does not know.
        let stranger = try home.write(try ownerKey.pkcs8PEM(), "stranger.pem", mode: 0o600)
        let unknown = home.directory.file("unknown.json")
        #expect(home.run("ledger", "sign", "add", "host", "key", "espresso", "key=@\(keyArgument)", "signing-key=\(stranger)", "out=\(unknown)").status == 0)
        refused(home, ["ledger", "submit", unknown], "request signed by unknown key")

        // An encrypted key with the wrong passphrase cannot sign anything.
        let encrypted = try home.write(try ownerKey.pkcs8PEM(passphrase: "right"), "encrypted.pem", mode: 0o600)
        let wrong = try home.write("wrong\n", "wrong-passphrase")
        refused(home, ["ledger", "sign", "add", "host", "key", "espresso", "key=@\(keyArgument)", "signing-key=\(encrypted)", "passphrase-file=\(wrong)"],
                "the passphrase does not decrypt the private key")

        // Expired: made with the library, since `rocks ledger sign` only signs current requests.
        let admin = try PrivateKey(pem: String(contentsOfFile: home.path + "/keys/admin.pem", encoding: .utf8))
        let ledgerID = try home.ledger().id
        let old = RequestEnvelope(op: "add host key", args: ["host": "espresso", "key": ownerKey.publicKey.pem], signer: admin.publicKey,
                                  ledger: ledgerID, now: Timestamp.now().adding(seconds: -3600))
        let expired = try home.write(String(decoding: try SignedRequest(signing: old, with: admin).document, as: UTF8.self), "expired.json")
        refused(home, ["ledger", "submit", expired], "request expired at")

        // A signature that does not match the bytes.
        let fresh = RequestEnvelope(op: "add host key", args: ["host": "espresso", "key": ownerKey.publicKey.pem], signer: admin.publicKey,
                                    ledger: ledgerID, now: .now())
        let good = try SignedRequest(signing: fresh, with: admin)
        var signature = good.signature
        signature[0] ^= 1
        let forged = try home.write(String(decoding: try SignedRequest(bytes: good.bytes, signature: signature).document, as: UTF8.self), "forged.json")
        refused(home, ["ledger", "submit", forged], "signature of the request 'add host key' is invalid")

        // Not canonical: the same request with a space inserted.
        var spaced = Array(String(decoding: good.bytes, as: UTF8.self).utf8)
        spaced.insert(UInt8(ascii: " "), at: 1)
        let document = CanonicalJSON.encode(["request": .string(String(decoding: spaced, as: UTF8.self)), "signature": .string(Base64URL.encode(good.signature))])
        let nonCanonical = try home.write(String(decoding: document, as: UTF8.self), "spaced.json")
        refused(home, ["ledger", "submit", nonCanonical], "not in canonical form")

        // No argument holds a control character: a zero byte would end a stored view key (the
        // version follows it), an escape sequence would drive the terminal of whoever lists it.
        let zero = RequestEnvelope(op: "sync host network", args: ["host": "espresso", "root": "/srv\u{0}x"], signer: admin.publicKey,
                                   ledger: ledgerID, now: .now())
        let zeroFile = try home.write(String(decoding: try SignedRequest(signing: zero, with: admin).document, as: UTF8.self), "zero.json")
        refused(home, ["ledger", "submit", zeroFile], "parameter 'root' holds a control character: '/srv\\u{0}x'")

        let corrupt = try home.write("{\"checkpoint\":1}", "corrupt-checkpoint.json")
        refused(home, ["ledger", "verify", "since=\(corrupt)"], "checkpoint: not a canonical checkpoint document")
        let unsigned = try home.write("espresso.rocksclusters.org/rocks/\(ledgerID.hex)\n1\n\(String(repeating: "A", count: 43))=\n\n", "unsigned.note")
        refused(home, ["ledger", "verify", "since=\(unsigned)"], "checkpoint: ")
    }
}
