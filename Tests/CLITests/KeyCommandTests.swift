import CLI
import Foundation
import Signing
import Testing
import TestSupport

@Suite struct KeyCommandTests {
    @Test func initCreatesHomeKeysAndGenesis() throws {
        let home = try RocksHome.initialised()
        for key in ["admin", "frontend"] {
            #expect(try home.mode(home.path + "/keys/\(key).pem") == 0o600)
        }
        #expect(try home.mode(home.path + "/keys") == 0o700)
        #expect(home.head.hasPrefix("1 "))
        let log = home.run("ledger", "log", "output-format=json")
        let rows = try #require(try CanonicalJSON.decode(Array(log.stdout.dropLast().utf8)).arrayValue)
        #expect(rows.count == 1)
        #expect(rows[0]["op"]?.stringValue == "init")
        // No private key material ever reaches the ledger.
        let dump = try ProcessRunner.run("mdb_dump", ["-a", "-p", home.path + "/ledger"])
        #expect(dump.status == 0)
        #expect(!dump.stdout.contains("PRIVATE KEY"))
        #expect(dump.stdout.contains("BEGIN PUBLIC KEY"))
    }

    @Test(arguments: [["type=ed25519"], ["type=rsa", "bits=2048"]])
    func createKeysWritesAnEncryptedKeyOpensslReads(options: [String]) throws {
        let home = RocksHome()
        let passphraseFile = try home.write("open sesame\n", "pass")
        let keyPath = home.directory.file("owner.pem")
        let result = home.run(["create", "keys", "key=\(keyPath)", "passphrase-file=\(passphraseFile)"] + options)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try home.mode(keyPath) == 0o600)
        #expect(try String(contentsOfFile: keyPath, encoding: .utf8).hasPrefix("-----BEGIN ENCRYPTED PRIVATE KEY-----"))
        let derived = try ProcessRunner.run("openssl", ["pkey", "-in", keyPath, "-passin", "file:\(passphraseFile)", "-pubout"])
        #expect(derived.status == 0, "\(derived.stderr)")
        #expect(derived.stdout == result.stdout)
    }

    @Test func hostKeysAreAddedListedAndRemoved() throws {
        let home = try RocksHome.initialised()
        let key = Fixtures.path("envelope/test-signer.pub")
        #expect(home.run("add", "host", "key", "espresso", "key=\(key)").status == 0)
        // Rocks' grammar: the key may be given positionally too.
        let rsa = TemporaryDirectory("rsa")
        let created = home.run("create", "keys", "key=\(rsa.file("k.pem"))", "type=rsa", "bits=2048", "passphrase=no")
        let rsaPublic = try home.write(created.stdout, "rsa.pub")
        #expect(home.run("add", "host", "key", "frontend", rsaPublic).status == 0)
        // An inline PEM, positionally: its leading dashes are a value, not an option.
        let inline = home.run("create", "keys", "key=\(rsa.file("inline.pem"))", "passphrase=no").stdout
        let added = home.run("add", "host", "key", "espresso", inline)
        #expect(added.status == 0, "\(added.stderr)")
        let table = home.run("list", "host", "key", "espresso")
        #expect(table.status == 0)
        let lines = table.stdout.split(separator: "\n")
        #expect(lines[0].hasPrefix("HOST      ID KEY-ID       PUBLIC KEY"))
        #expect(lines[1].hasPrefix("espresso: 1  571fc057dcd3 -----BEGIN PUBLIC KEY-----"))
        #expect(lines.contains { $0.hasPrefix("espresso: 2 ") })
        #expect(lines.contains { $0.hasPrefix("espresso: 3 ") })

        #expect(home.run("remove", "host", "key", "espresso", "id=1").status == 0)
        let after = home.run("list", "host", "key", "output-format=json")
        let rows = try #require(try CanonicalJSON.decode(Array(after.stdout.dropLast().utf8)).arrayValue)
        #expect(rows.map { $0["id"]?.integerValue } == [2, 3])
        #expect(home.run("ledger", "verify").status == 0)
    }

    @Test func listHostKeyMatchesTheGoldenTable() throws {
        let home = try RocksHome.initialised()
        #expect(home.run("add", "host", "key", "espresso", "key=\(Fixtures.path("envelope/test-signer.pub"))").status == 0)
        let table = home.run("list", "host", "key")
        #expect(try Fixtures.matchesGolden(table.stdout, "cli/list-host-key.txt"))
    }

    @Test func aSignedRequestIsSubmittedOnceAndOnlyOnce() throws {
        let home = try RocksHome.initialised()
        let request = home.directory.file("request.json")
        let signed = home.run("ledger", "sign", "add", "host", "key", "espresso", "key=@\(Fixtures.path("envelope/test-signer.pub"))",
                              "signing-key=\(home.path)/keys/admin.pem", "out=\(request)")
        #expect(signed.status == 0, "\(signed.stderr)")
        #expect(home.run("ledger", "submit", request).stdout == "appended record 2\n")
        expectOneErrorLine(home.run("ledger", "submit", request), "replay refused")
        #expect(home.head.hasPrefix("2 "))
    }

    @Test func anOwnersRequestForAnAdminCommandIsRecordedAsDenied() throws {
        let home = try RocksHome.initialised()
        let owner = home.directory.file("owner.pem")
        let ownerPublic = home.run("create", "keys", "key=\(owner)", "passphrase=no").stdout
        #expect(home.run("add", "host", "key", "espresso", "key=\(ownerPublic)").status == 0)
        let request = home.directory.file("request.json")
        #expect(home.run("ledger", "sign", "remove", "host", "key", "espresso", "id=1", "signing-key=\(owner)", "out=\(request)").status == 0)
        expectOneErrorLine(home.run("ledger", "submit", request), "denied (recorded as record 3)")
        #expect(home.run("ledger", "log").stdout.split(separator: "\n").last?.contains(" | denied: ") == true)
        #expect(home.run("list", "host", "key", "output-format=json").stdout.contains("\"id\":1"))
    }

    /// A key taken out of force is named as revoked, with the record that revoked it, not as unknown.
    @Test func aRevokedKeyIsRefusedAsRevoked() throws {
        let home = try RocksHome.initialised()
        let owner = home.directory.file("owner.pem")
        #expect(home.run("create", "keys", "key=\(owner)", "passphrase=no").status == 0)
        #expect(home.run("add", "host", "key", "espresso", "key=\(owner)").status != 0, "a private key file was accepted")
        let ownerPublic = home.run("create", "keys", "key=\(home.directory.file("owner2.pem"))", "passphrase=no").stdout
        #expect(home.run("add", "host", "key", "espresso", ownerPublic).status == 0)
        #expect(home.run("remove", "host", "key", "espresso", "id=1").status == 0)
        let request = home.directory.file("request.json")
        #expect(home.run("ledger", "sign", "start", "host", "vm", "espresso", "signing-key=\(home.directory.file("owner2.pem"))", "out=\(request)").status == 0)
        let head = home.head
        expectOneErrorLine(home.run("ledger", "submit", request), "request signed by key")
        #expect(home.run("ledger", "submit", request).stderr.contains("revoked by record 3"))
        #expect(home.head == head)
    }
}
