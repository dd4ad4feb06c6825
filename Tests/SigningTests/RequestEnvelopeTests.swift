import Foundation
import Signing
import Testing
import TestSupport

/// The envelope's wire form, pinned by the vectors in `fixtures/envelope/` that
/// `docs/ledger-format.md` documents.
@Suite struct RequestEnvelopeTests {
    static let issued = Timestamp(rfc3339: "2026-11-28T06:00:00Z")!

    private func vectorEnvelope(signer: PublicKey) throws -> RequestEnvelope {
        RequestEnvelope(op: "add host key", args: ["host": "frontend-0-0-0", "key": signer.pem], key: signer.id, alg: .ed25519,
                        nonce: Nonce(bytes: Array(0..<16))!, issued: Self.issued, expires: Self.issued.adding(seconds: 300),
                        ledger: LedgerID(hex: "00112233445566778899aabbccddeeff")!)
    }

    @Test func fixtureVectorMatchesOurEncodingAndSignature() throws {
        let signer = try PrivateKey(pem: Fixtures.text("envelope/test-signer.pem"))
        let signed = try SignedRequest(signing: try vectorEnvelope(signer: signer.publicKey), with: signer)
        let requestText = String(decoding: signed.bytes, as: UTF8.self)
        #expect(try Fixtures.matchesGolden(requestText, "envelope/request.json"))
        #expect(try Fixtures.matchesGolden(Base64URL.encode(signed.signature) + "\n", "envelope/signature.txt"))
        #expect(try Fixtures.matchesGolden(signer.id.hex + "\n", "envelope/key-id.txt"))
        #expect(try Fixtures.matchesGolden(String(decoding: signed.document, as: UTF8.self) + "\n", "envelope/signed-request.json"))
    }

    @Test func fixtureVectorVerifiesWithOpenssl() throws {
        let directory = TemporaryDirectory("vector")
        let signature = try #require(Base64URL.decode(Fixtures.text("envelope/signature.txt").trimmingCharacters(in: .newlines)))
        try Data(signature).write(to: URL(fileURLWithPath: directory.file("sig")))
        let result = try ProcessRunner.run("openssl", ["pkeyutl", "-verify", "-pubin", "-inkey", Fixtures.path("envelope/test-signer.pub"),
                                                        "-rawin", "-in", Fixtures.path("envelope/request.json"), "-sigfile", directory.file("sig")])
        #expect(result.status == 0, "\(result.stderr)")
    }

    @Test func parsingTheVectorGivesBackItsFields() throws {
        let document = try Fixtures.text("envelope/signed-request.json")
        let request = try SignedRequest(document: Array(document.utf8))
        #expect(request.envelope.op == "add host key")
        #expect(request.envelope.args["host"] == "frontend-0-0-0")
        #expect(request.envelope.nonce.text == "AAECAwQFBgcICQoLDA0ODw")
        #expect(request.envelope.expires.rfc3339Seconds == "2026-11-28T06:05:00Z")
        #expect(request.isSigned(by: try PublicKey(pem: Fixtures.text("envelope/test-signer.pub"))))
        #expect(!request.isSigned(by: try PrivateKey.generate().publicKey))
    }

    private func mutated(_ change: (inout JSONObject) -> Void) throws -> [UInt8] {
        let signer = try PrivateKey(pem: Fixtures.text("envelope/test-signer.pem"))
        var object = try #require(try vectorEnvelope(signer: signer.publicKey).json.objectValue)
        change(&object)
        return CanonicalJSON.encode(.object(object))
    }

    /// Requests that are canonical JSON but not valid envelopes, one fault each.
    private func refusals() throws -> [(String, [UInt8])] {
        [
            ("unknown field", try mutated { $0["extra"] = "x" }),
            ("missing field", try mutated { $0["nonce"] = nil }),
            ("wrong version", try mutated { $0["v"] = 2 }),
            ("text version", try mutated { $0["v"] = "1" }),
            ("upper-case key id", try mutated { $0["key"] = .string($0["key"]!.stringValue!.uppercased()) }),
            ("short nonce", try mutated { $0["nonce"] = "AAECAwQFBgcICQoLDA0O" }),
            ("padded nonce", try mutated { $0["nonce"] = "AAECAwQFBgcICQoLDA0ODw==" }),
            ("lifetime over ten minutes", try mutated { $0["expires"] = "2026-11-28T06:10:01Z" }),
            ("expires before issued", try mutated { $0["expires"] = "2026-11-28T05:59:59Z" }),
            ("fractional time", try mutated { $0["issued"] = "2026-11-28T06:00:00.5Z" }),
            ("SHA-1 algorithm", try mutated { $0["alg"] = "rsa-pkcs1-sha1" }),
            ("integer argument", try mutated { $0["args"] = ["host": 1] }),
            ("arguments not an object", try mutated { $0["args"] = ["host"] }),
            ("argument name to escape", try mutated { $0["args"] = ["ho\"st": "x"] }),
            ("upper-case argument name", try mutated { $0["args"] = ["Host": "x"] }),
            ("integer op", try mutated { $0["op"] = 7 }),
            ("upper-case op", try mutated { $0["op"] = "Add host key" }),
            ("short ledger id", try mutated { $0["ledger"] = "0011" }),
        ]
    }

    @Test func strictParsingRefusesEveryDeviation() throws {
        for (reason, bytes) in try refusals() {
            #expect(throws: SigningError.self, "\(reason) must be refused") { try RequestEnvelope(parsing: bytes) }
        }
        // Whitespace is refused even though the JSON means the same.
        var spaced = Array(try Fixtures.text("envelope/request.json").utf8)
        spaced.insert(UInt8(ascii: " "), at: 1)
        #expect(throws: SigningError(.nonCanonicalJSON, "")) { try RequestEnvelope(parsing: spaced) }
    }

    /// A stored request is read in place, without a parse tree: it must refuse what the full
    /// parse refuses, with the same reason, and read what it reads.
    @Test func storedParsingChecksEveryFieldAsTheFullParseDoes() throws {
        for (reason, bytes) in try refusals() {
            let full = #expect(throws: SigningError.self, "\(reason)") { try RequestEnvelope(parsing: bytes) }
            let stored = #expect(throws: SigningError.self, "\(reason) must be refused when stored") { try RequestEnvelope(parsingStored: bytes) }
            #expect(stored?.message == full?.message, "\(reason)")
        }
    }

    @Test func storedParsingReadsWhatTheFullParseReads() throws {
        let signer = try PrivateKey(pem: Fixtures.text("envelope/test-signer.pem")).publicKey
        let values = ["", "espresso", "vm-container-0-12", "a \"quoted\" \\ value", "line\nbreak\u{1}", "é😀", signer.pem]
        var random = SeededGenerator(state: 1_000_003)
        for _ in 0..<500 {
            var args: [String: String] = [:]
            for name in ["host", "key", "mem", "membership", "x_y-2"] where Bool.random(using: &random) {
                args[name] = values.randomElement(using: &random)!
            }
            let envelope = RequestEnvelope(op: ["add host vm", "set host attr", "x"].randomElement(using: &random)!, args: args,
                                           signer: signer, ledger: .random(), now: Self.issued, lifetime: Int64.random(in: 1...600, using: &random))
            let bytes = envelope.canonicalBytes
            #expect(try RequestEnvelope(parsingStored: bytes) == envelope)
            #expect(try RequestEnvelope(parsing: bytes) == envelope)
        }
    }

    /// A rebuild reads a stored request's op, key id and nonce from its end. Whatever the
    /// args hold (quotes, backslashes, a PEM, text that spells a request's last fields), the
    /// end gives what the full parse gives.
    @Test func aSummaryReadFromTheEndIsTheFullParse() throws {
        let signer = try PrivateKey(pem: Fixtures.text("envelope/test-signer.pem")).publicKey
        let other = try PrivateKey.generate().publicKey
        let spoof = #"","key":"\#(other.id.hex)","ledger":"00112233445566778899aabbccddeeff","nonce":"AAAAAAAAAAAAAAAAAAAAAA","op":"remove host","v":1}"#
        let values = ["", "compute-0-0-0", "a \"quoted\" \\ value", signer.pem, spoof, spoof + "\\"]
        for (index, value) in values.enumerated() {
            let envelope = RequestEnvelope(op: ["add host vm", "set host attr", "x"][index % 3], args: ["note": value],
                                           signer: signer, ledger: .random(), now: Self.issued)
            let bytes = envelope.canonicalBytes
            let tail = try #require(bytes.withUnsafeBytes { RequestEnvelope.Summary(tail: $0) }, "\(value)")
            #expect(tail.op == envelope.op)
            #expect(tail.key == signer.id)
            #expect(tail.nonce == envelope.nonce)
        }
    }

    /// The one fast reader beside the full parse, held to its answers over random requests of
    /// the kind a ledger stores (any op, any args, adversarial text included), and to its
    /// refusals when the op, key id or nonce the fast reader reads is out of form.
    @Test func theTailReaderAgreesWithTheFullParseOnRandomRequests() throws {
        var random = SeededGenerator(state: 20_261_206)
        let signer = try PrivateKey.generate().publicKey
        let pieces = ["", "a", "\"", "\\", "\",\"key\":\"", "\",\"op\":\"x\",\"v\":1}", "é😀", "\n", "}", "{\"", signer.pem]
        func text() -> String { (0..<Int.random(in: 0...4, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined() }
        let ops = ["add host", "set host power", "list host macs", "x", "a-b c-d e"]
        for _ in 0..<2_000 {
            var args: [String: String] = [:]
            for _ in 0..<Int.random(in: 0...5, using: &random) { args[["host", "key", "op", "nonce", "v", "action"].randomElement(using: &random)!] = text() }
            let envelope = RequestEnvelope(op: ops.randomElement(using: &random)!, args: args, signer: signer, ledger: .random(), now: Self.issued)
            let bytes = envelope.canonicalBytes
            let full = try RequestEnvelope(parsingStored: bytes)
            let tail = try #require(bytes.withUnsafeBytes { RequestEnvelope.Summary(tail: $0) }, "\(args)")
            #expect(tail.op == full.op && tail.key == full.key && tail.nonce == full.nonce, "\(args)")
            // One of the three fields out of form: both readers refuse.
            let written = String(decoding: bytes, as: UTF8.self)
            let damaged = [written.replacingOccurrences(of: #""op":"\#(envelope.op)""#, with: #""op":"\#(envelope.op) ""#),
                           written.replacingOccurrences(of: #""key":"\#(signer.id.hex)""#, with: #""key":"\#(signer.id.hex.dropLast())""#),
                           written.replacingOccurrences(of: #""nonce":"\#(envelope.nonce.text)""#, with: #""nonce":"\#(envelope.nonce.text)=""#)]
                .randomElement(using: &random)!
            #expect(Array(damaged.utf8).withUnsafeBytes { RequestEnvelope.Summary(tail: $0) } == nil, "\(damaged)")
            #expect(throws: SigningError.self) { try RequestEnvelope(parsingStored: Array(damaged.utf8)) }
            #expect(throws: SigningError.self) { try Array(damaged.utf8).withUnsafeBytes { try RequestEnvelope.Summary(stored: $0) } }
        }
    }

    /// A request that does not end as this code writes one goes to the full parse, which
    /// refuses one with a field too many; one whose fields are out of form is refused either way.
    @Test func aRequestNotInTheStoredShapeGoesToTheFullParse() throws {
        let signer = try PrivateKey.generate().publicKey
        let envelope = RequestEnvelope(op: "add host vm", args: [:], signer: signer, ledger: .random(), now: Self.issued)
        let written = String(decoding: envelope.canonicalBytes, as: UTF8.self)
        let extended = Array((written.dropLast() + #","w":1}"#).utf8)
        #expect(extended.withUnsafeBytes { RequestEnvelope.Summary(tail: $0) } == nil)
        #expect(throws: SigningError(.malformedRequest, "request has unknown field 'w'")) {
            try extended.withUnsafeBytes { try RequestEnvelope.Summary(stored: $0) }
        }
        for damaged in [written.replacingOccurrences(of: #""op":"add host vm""#, with: #""op":"add Host vm""#),
                        written.replacingOccurrences(of: signer.id.hex, with: signer.id.hex.uppercased()),
                        written.replacingOccurrences(of: envelope.nonce.text, with: "!" + envelope.nonce.text.dropFirst())] {
            #expect(throws: SigningError.self, "\(damaged)") { try Array(damaged.utf8).withUnsafeBytes { try RequestEnvelope.Summary(stored: $0) } }
        }
    }

    @Test(arguments: [("add host key", true), ("ledger rebuild", true), ("x", true), ("add-on 2", true),
                      ("", false), (" add", false), ("add ", false), ("add  host", false), ("Add host", false),
                      ("add_host", false), ("add\thost", false), (String(repeating: "a", count: 65), false)])
    func opsAreLowerCaseWordsWithSingleSpaces(op: String, valid: Bool) {
        #expect(RequestEnvelope.isValidOp(op) == valid)
    }

    @Test func freshnessAllowsTwoMinutesOfSkewAndNoMore() throws {
        let envelope = try vectorEnvelope(signer: try PrivateKey.generate().publicKey)
        try envelope.checkCurrent(at: Self.issued)
        try envelope.checkCurrent(at: Self.issued.adding(seconds: -120))
        try envelope.checkCurrent(at: Self.issued.adding(seconds: 300 + 120))
        #expect(throws: SigningError(.requestNotCurrent, "")) { try envelope.checkCurrent(at: Self.issued.adding(seconds: -121)) }
        #expect(throws: SigningError(.requestNotCurrent, "")) { try envelope.checkCurrent(at: Self.issued.adding(seconds: 300 + 121)) }
    }

    /// The document reader bounds what it reads before it parses, whoever hands it the bytes.
    @Test func aSignedRequestDocumentIsAtMost80KiB() throws {
        let huge = Array(("{\"request\":\"" + String(repeating: "a", count: 82_000) + "\",\"signature\":\"AA\"}").utf8)
        let error = #expect(throws: SigningError.self) { try SignedRequest(document: huge) }
        #expect(error?.message.hasPrefix("a signed request is at most 80 KiB") == true, "\(String(describing: error))")
    }
}
