import Foundation
import Ledger
import Signing
import Testing
import TestSupport

/// The Airboss as owners and attackers meet it: a real `rocks start service airboss` process
/// on a loopback port, reached by the built `pilot` and `rocks` over TLS, and by `curl` for
/// requests no honest client sends. Every refusal is checked to append nothing.
@Suite(.serialized, .tags(.slow), .notInFastRuns) struct AirbossTests {
    /// A seeded home with one virtual cluster (frontend-0-0-0 and two computes) and a second
    /// one, an owner key on the first cluster's frontend, and its Airboss (no executor: these
    /// tests start no VM).
    final class Setup: @unchecked Sendable {
        let home: RocksHome
        let airboss: AirbossHarness
        let owner: (path: String, pem: String)
        let computes: [String]
        let otherCompute: String

        /// `settings`: more of `rocks start service airboss`'s parameters.
        init(settings: [String] = []) throws {
            home = try RocksHome.seeded()
            for ip in ["137.110.119.118", "137.110.119.119"] {
                let added = home.run("add", "cluster", "ip=\(ip)", "num-computes=2")
                #expect(added.status == 0, "\(added.stderr)")
            }
            let clusters = try home.read { reader, txn in (try reader.cluster("frontend-0-0-0", in: txn), try reader.cluster("frontend-0-0-1", in: txn)) }
            computes = try #require(clusters.0?.computes)
            otherCompute = try #require(clusters.1?.computes.first)
            airboss = try AirbossHarness(home: home, executor: "no", settings: settings)
            owner = try airboss.ownerKey("owner")
            let keyFile = try home.write(owner.pem, "owner.pub")
            #expect(home.run("add", "host", "key", "frontend-0-0-0", "key=\(keyFile)").status == 0)
        }

        /// `curl` posting `body` to the Airboss as is: the HTTP status, and the head moved or not.
        func post(_ body: [UInt8]) throws -> (status: Int, answer: String, appended: Bool) {
            let before = try airboss.headSequence
            let file = airboss.user.file("body-\(UInt64.random(in: 0...UInt64.max))")
            try Data(body).write(to: URL(fileURLWithPath: file))
            let out = try ProcessRunner.run("curl", ["-sk", "-o", "/dev/stdout", "-w", "\n%{http_code}", "--data-binary", "@\(file)",
                                                     "https://\(airboss.address)/v1/requests"])
            let lines = out.stdout.split(separator: "\n", omittingEmptySubsequences: false)
            return (Int(lines.last ?? "") ?? 0, lines.dropLast().joined(separator: "\n"), try airboss.headSequence != before)
        }

        /// A request signed by `key` for this ledger (or `ledger`), issued at `now`.
        func signed(_ op: String, _ args: [String: String], key: PrivateKey, ledger: LedgerID? = nil, now: Timestamp = .now()) throws -> SignedRequest {
            let id = try ledger ?? home.ledger().id
            return try SignedRequest(signing: RequestEnvelope(op: op, args: args, signer: key.publicKey, ledger: id, now: now), with: key)
        }

        var ownerKey: PrivateKey { get throws { try PrivateKey(pem: String(contentsOfFile: owner.path, encoding: .utf8)) } }
    }

    /// An owner's key encrypted at rest: a script gives its passphrase in a file; without one
    /// and without a terminal, one line says how. Nothing is sent with a key not unlocked.
    @Test func anEncryptedOwnerKeyIsUnlockedByItsPassphraseFile() throws {
        let setup = try Setup()
        let path = setup.airboss.user.file("encrypted.pem")
        let passphrase = try setup.home.write("correct horse\n", "passphrase.txt", mode: 0o600)
        let made = try setup.airboss.pilot("create", "keys", "key=\(path)", "passphrase-file=\(passphrase)")
        #expect(made.status == 0, "\(made.stderr)")
        #expect(try String(contentsOfFile: path, encoding: .utf8).hasPrefix("-----BEGIN ENCRYPTED PRIVATE KEY-----"))
        #expect(setup.home.run("add", "host", "key", "frontend-0-0-0", "key=\(try setup.home.write(made.stdout, "encrypted.pub"))").status == 0)
        let before = try setup.airboss.headSequence
        let locked = try setup.airboss.pilot("list", "host", "macs", "host=frontend-0-0-0", "key=\(path)")
        #expect(locked.status == 1 && locked.stderr == "error - \(path) is encrypted: give passphrase-file=<file>, or run from a terminal\n", "\(locked.stderr)")
        let wrong = try setup.home.write("wrong horse\n", "wrong.txt", mode: 0o600)
        let refused = try setup.airboss.pilot("list", "host", "macs", "host=frontend-0-0-0", "key=\(path)", "passphrase-file=\(wrong)")
        #expect(refused.status == 1 && refused.stderr.contains("passphrase does not decrypt"), "\(refused.stderr)")
        #expect(try setup.airboss.headSequence == before)
        let listed = try setup.airboss.pilot("list", "host", "macs", "host=frontend-0-0-0", "key=\(path)", "passphrase-file=\(passphrase)")
        #expect(listed.status == 0 && listed.stdout.contains(" frontend-0-0-0\n"), "\(listed.stderr)")
        #expect(try setup.airboss.headSequence == before + 1)
    }

    @Test func anOwnerListsTheirClusterAndGetsAReceiptTheyCanVerifyOffline() throws {
        let setup = try Setup()
        let listed = try setup.airboss.pilot("list", "host", "macs", "host=frontend-0-0-0", "key=\(setup.owner.path)", "status=no")
        #expect(listed.status == 0, "\(listed.stderr)")
        for vm in ["frontend-0-0-0"] + setup.computes { #expect(listed.stdout.contains(" \(vm)\n"), "\(vm) in \(listed.stdout)") }
        #expect(!listed.stdout.contains(setup.otherCompute), "another cluster's VM is never listed")
        #expect(listed.stderr.contains("pinned the Airboss at \(setup.airboss.address)"))
        // The read is on the record, with the answer in its decision.
        let ledger = try setup.home.ledger()
        let record = try #require(try ledger.record(ledger.head().sequence))
        #expect(record.op == "list host macs" && record.denial == nil)
        let receipt = try #require(listed.stdout.split(separator: " ").last.map { String($0.dropLast()) })
        let verified = try setup.airboss.pilot("verify", "receipt=\(receipt)")
        #expect(verified.status == 0 && verified.stdout.contains("verified: record \(record.sequence) ('list host macs'"), "\(verified.stderr)")
        // rocks, on the frontend, prints Rocks' table with names.
        let table = try AirbossHarness.rocks(setup.home, ["list", "host", "macs", "frontend-0-0-0", "key=\(setup.owner.path)", "airboss=\(setup.airboss.address)"],
                                             user: setup.airboss.user.path)
        #expect(table.status == 0 && table.stdout.hasPrefix("MACS IN CLUSTER"), "\(table.stderr)")
        // A power request with async=yes is appended with its effects, and answered at once.
        let power = try setup.airboss.pilot("set", "host", "power", "host=\(setup.computes[0])", "key=\(setup.owner.path)", "action=on", "async=yes")
        #expect(power.status == 0 && power.stdout.contains("\(setup.computes[0]): on pending"), "\(power.stderr)")
        #expect(setup.home.run("ledger", "verify").status == 0)
        // A graceful stop; the log has one line per request, with who, what, the result and
        // the sequence, and no secret.
        let stopped = try AirbossHarness.rocks(setup.home, ["stop", "service", "airboss"])
        #expect(stopped.status == 0 && stopped.stdout.hasPrefix("airboss stopped"), "\(stopped.stderr)")
        #expect(!FileManager.default.fileExists(atPath: setup.home.path + "/airboss.pid"))
        let log = try String(contentsOfFile: setup.home.path + "/airboss.log", encoding: .utf8)
        let key = try setup.ownerKey.id.short
        #expect(log.contains("key=\(key) ledger.seq=\(record.sequence) op=list host macs result=allowed target='frontend-0-0-0'"), "\(log)")
        #expect(!log.contains("PRIVATE KEY") && !log.contains("\"signature\""))
    }

    @Test func anotherClustersVMAndAHostThatDoesNotExistGetTheSameDenialOnTheRecord() throws {
        let setup = try Setup()
        var reasons: [String] = []
        for target in [setup.otherCompute, "nosuchvm"] {
            let before = try setup.airboss.headSequence
            let denied = try setup.airboss.pilot("set", "host", "power", "host=\(target)", "key=\(setup.owner.path)", "action=off")
            #expect(denied.status == 1 && denied.stderr.contains("error - the Airboss denied the request"), "\(denied.stderr)")
            let ledger = try setup.home.ledger()
            #expect(try ledger.head().sequence == before + 1)
            let record = try #require(try ledger.record(before + 1))
            reasons.append(try #require(record.denial).replacingOccurrences(of: target, with: "<target>"))
        }
        #expect(reasons[0] == reasons[1], "the denial must not tell a VM that exists from one that does not")

        // A key on one compute reaches that compute only; the admin key reaches every VM.
        let single = try setup.airboss.ownerKey("single")
        #expect(setup.home.run("add", "host", "key", setup.computes[1], "key=\(try setup.home.write(single.pem, "single.pub"))").status == 0)
        let own = try setup.airboss.pilot("list", "host", "macs", "host=\(setup.computes[1])", "key=\(single.path)", "status=no")
        #expect(own.status == 0 && own.stdout.split(separator: "\n").count == 2 && own.stdout.contains(" \(setup.computes[1])\n"), "\(own.stdout)")
        let frontend = try setup.airboss.pilot("list", "host", "macs", "host=frontend-0-0-0", "key=\(single.path)")
        #expect(frontend.status == 1 && frontend.stderr.contains("denied"), "\(frontend.stderr)")
        let admin = try setup.airboss.pilot("list", "host", "macs", "host=\(setup.otherCompute)", "key=\(setup.home.path)/keys/admin.pem", "status=no")
        #expect(admin.status == 0 && admin.stdout.contains(" \(setup.otherCompute)\n"), "\(admin.stderr)")
        // The Airboss's own TLS key is private.
        let mode = try FileManager.default.attributesOfItem(atPath: setup.home.path + "/keys/airboss-tls.pem")[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test func requestsThatMustNotBeAppendedAreRefusedWithOneLine() throws {
        let setup = try Setup()
        let key = try setup.ownerKey
        let args = ["host": "frontend-0-0-0"]
        // A captured request is taken once.
        let honest = try setup.signed("list host macs", args, key: key)
        #expect(try setup.post(honest.document).status == 200)
        var refused: [(String, [UInt8], Int)] = [("a replayed request", honest.document, 409)]
        refused.append(("an unknown key", try setup.signed("list host macs", args, key: PrivateKey.generate()).document, 401))
        let fresh = try setup.signed("list host macs", args, key: key)
        var envelope = fresh.bytes
        envelope[envelope.firstIndex(of: UInt8(ascii: "f"))!] = UInt8(ascii: "g")
        refused.append(("a flipped envelope byte", SignedRequest.document(bytes: envelope, signature: fresh.signature), 401))
        var signature = fresh.signature
        signature[0] ^= 1
        refused.append(("a flipped signature byte", SignedRequest.document(bytes: fresh.bytes, signature: signature), 401))
        refused.append(("an expired request", try setup.signed("list host macs", args, key: key, now: Timestamp(secondsSinceEpoch: Timestamp.now().seconds - 3600)).document, 401))
        refused.append(("another ledger's request", try setup.signed("list host macs", args, key: key, ledger: .random()).document, 401))
        let admin = try PrivateKey(pem: String(contentsOfFile: setup.home.path + "/keys/admin.pem", encoding: .utf8))
        refused.append(("an operator command", try setup.signed("add host", ["membership": "Compute"], key: admin).document, 400))
        refused.append(("malformed JSON", Array("{\"request\":".utf8), 400))
        refused.append(("an oversized body", [UInt8](repeating: UInt8(ascii: " "), count: 100 * 1024), 413))
        refused.append(("a target neither MAC nor name", try setup.signed("list host macs", ["host": "frontend-0-0-0';drop"], key: key).document, 400))
        for (what, body, status) in refused {
            let answer = try setup.post(body)
            #expect(answer.status == status, "\(what): \(answer.answer)")
            #expect(!answer.appended, "\(what) must append nothing")
            #expect(answer.answer.hasPrefix("{\"error\":") || status == 413, "\(what): \(answer.answer)")
        }
    }

    @Test func theClientRefusesAnImpostorAChangedLedgerAndTamperedReceipts() throws {
        let setup = try Setup()
        let owner = setup.owner.path
        #expect(try setup.airboss.pilot("list", "host", "macs", "host=frontend-0-0-0", "key=\(owner)").status == 0)
        // Another frontend's Airboss, with the first frontend's key id as server-key.
        let frontendID = try setup.home.ledger().genesis.frontendKey.id.hex
        let impostor = try AirbossHarness(home: RocksHome.seeded(), executor: "no")
        let refused = try setup.airboss.pilot("list", "host", "macs", "host=frontend-0-0-0", "key=\(owner)", "server-key=\(frontendID)",
                                              through: impostor.address)
        #expect(refused.status == 1 && refused.stderr.contains("not the server-key given"), "\(refused.stderr)")
        // server-key= as the frontend's PEM file, for an owner who has pinned nothing yet.
        let pem = try setup.home.write(try setup.home.ledger().genesis.frontendKey.pem, "frontend.pub")
        let fresh = TemporaryDirectory("fresh-owner")
        let given = try setup.airboss.pilot("list", "host", "macs", "host=frontend-0-0-0", "key=\(owner)", "server-key=\(pem)", user: fresh.path)
        #expect(given.status == 0, "\(given.stderr)")
        let impostorByPEM = try setup.airboss.pilot("list", "host", "macs", "host=frontend-0-0-0", "key=\(owner)", "server-key=\(pem)",
                                                    user: fresh.path, through: impostor.address)
        #expect(impostorByPEM.status == 1 && impostorByPEM.stderr.contains("not the server-key given"), "\(impostorByPEM.stderr)")
        // A relay holding the Airboss's own TLS key changes the receipt: refused.
        for mode in ["record", "path"] {
            let relay = try TamperingRelay(mode: mode, airboss: setup.airboss)
            let tampered = try setup.airboss.pilot("list", "host", "macs", "host=frontend-0-0-0", "key=\(owner)", through: relay.address)
            #expect(tampered.status == 1 && tampered.stderr.contains("answer is refused"), "\(mode): \(tampered.stderr)")
        }
        // A genuine receipt, but for another request: the first answer passes, the next is refused.
        let replaying = try TamperingRelay(mode: "replay", airboss: setup.airboss)
        let first = try setup.airboss.pilot("list", "host", "macs", "host=frontend-0-0-0", "key=\(owner)", through: replaying.address)
        #expect(first.status == 0, "\(first.stderr)")
        let second = try setup.airboss.pilot("list", "host", "macs", "host=frontend-0-0-0", "key=\(owner)", through: replaying.address)
        #expect(second.status == 1 && second.stderr.contains("does not hold the request that was sent"), "\(second.stderr)")
        // Another ledger behind the pinned address.
        let port = setup.airboss.port
        setup.airboss.stop()
        let other = try AirbossHarness(home: RocksHome.seeded(), executor: "no", port: port)
        let changed = try setup.airboss.pilot("list", "host", "macs", "host=frontend-0-0-0", "key=\(owner)", through: other.address)
        #expect(changed.status == 1 && changed.stderr.contains("pins ledger"), "\(changed.stderr)")
    }
}

/// `fixtures/airboss/tampering-relay.py` in front of an Airboss, with its TLS key.
final class TamperingRelay: @unchecked Sendable {
    let process = Process()
    let port: Int
    var address: String { "127.0.0.1:\(port)" }

    init(mode: String, airboss: AirbossHarness) throws {
        let portFile = airboss.user.file("relay-\(mode).port")
        let keys = airboss.home.path + "/keys/"
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.arguments = [Fixtures.path("airboss/tampering-relay.py"), mode, portFile, String(airboss.port), keys + "airboss-tls.crt", keys + "airboss-tls.pem"]
        try process.run()
        for _ in 0..<100 where (try? String(contentsOfFile: portFile, encoding: .utf8)).flatMap({ Int($0) }) == nil { usleep(50_000) }
        port = try #require((try? String(contentsOfFile: portFile, encoding: .utf8)).flatMap { Int($0) })
    }

    deinit {
        // SIGKILL: the relay's threads may be mid-read, and nothing of it needs an orderly end.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}
