import Signing
import Testing
import TestSupport
import Transparency

/// Signed notes against golang/mod's sumdb/note vectors (cited in NoteVectors.swift), and
/// every way a note can be refused.
@Suite struct SignedNoteTests {
    static let malformed = TransparencyError(.malformed, "")
    static let rejected = TransparencyError(.signatureRejected, "")

    @Test func goVerifierKeysReadWithTheirKeyIDsAndWriteBackUnchanged() throws {
        let vectors = try NoteVectors.load()
        for key in vectors.keys {
            let verifier = try NoteVerifierKey(key.verifierKey)
            #expect(verifier.name == key.name)
            #expect(String(verifier.keyID, radix: 16) == key.keyID)
            #expect(verifier.description == key.verifierKey)
            #expect(verifier.publicKey.rawEd25519 == verifier.rawKey)
        }
    }

    @Test func signingGoTheirTextWithTheirKeyGivesTheirSignatureLine() throws {
        let vectors = try NoteVectors.load()
        let signer = try NoteSigner(name: vectors.peter.name, privateKey: NoteVectors.privateKey(fromGoSignerKey: vectors.peter.signerKey ?? ""))
        #expect(signer.verifierKey.description == vectors.peter.verifierKey)
        let note = try SignedNote.sign(Array(vectors.text.utf8), with: [signer])
        #expect(String(decoding: note.bytes, as: UTF8.self) == vectors.text + "\n" + vectors.peter.signatureLine)
    }

    @Test func aNoteSignedByTwoKeysVerifiesWithEitherAndIgnoresTheOther() throws {
        let vectors = try NoteVectors.load()
        let bytes = Array((vectors.text + "\n" + vectors.peter.signatureLine + vectors.enoch.signatureLine).utf8)
        let note = try SignedNote(parsing: bytes)
        #expect(note.text == Array(vectors.text.utf8))
        #expect(note.signatures.count == 2)
        #expect(note.bytes == bytes)
        let peter = try NoteVerifierKey(vectors.peter.verifierKey)
        let enoch = try NoteVerifierKey(vectors.enoch.verifierKey)
        #expect(try note.verify([peter]).map(\.name) == ["PeterNeumann"])
        #expect(try note.verify([enoch, peter]).map(\.name) == ["PeterNeumann", "EnochRoot"])
        #expect(throws: Self.rejected) { try note.verify([]) }
    }

    @Test func repeatedSignaturesCountOnce() throws {
        let vectors = try NoteVectors.load()
        let line = vectors.peter.signatureLine
        let note = try SignedNote(parsing: Array((vectors.text + "\n" + line + line + line).utf8))
        #expect(try note.verify([NoteVerifierKey(vectors.peter.verifierKey)]).count == 1)
    }

    @Test func aTrustedKeysFailingSignatureRefusesTheNote() throws {
        let vectors = try NoteVectors.load()
        let peter = try NoteVerifierKey(vectors.peter.verifierKey)
        // Go's test: four symbols inserted into the signature.
        var line = vectors.peter.signatureLine
        line.insert(contentsOf: "ABCD", at: line.index(line.startIndex, offsetBy: 60))
        let note = try SignedNote(parsing: Array((vectors.text + "\n" + line).utf8))
        #expect(throws: Self.rejected) { try note.verify([peter]) }
        // A good signature beside it does not rescue it.
        let both = try SignedNote(parsing: Array((vectors.text + "\n" + vectors.peter.signatureLine + line).utf8))
        #expect(throws: Self.rejected) { try both.verify([peter]) }
    }

    @Test func tamperedTextIsRefused() throws {
        let vectors = try NoteVectors.load()
        let text = vectors.text.replacingOccurrences(of: "answer", with: "Answer")
        let note = try SignedNote(parsing: Array((text + "\n" + vectors.peter.signatureLine).utf8))
        #expect(throws: Self.rejected) { try note.verify([NoteVerifierKey(vectors.peter.verifierKey)]) }
    }

    @Test func aNoteSignedHereVerifiesWithItsVerifierKeyOnly() throws {
        let signer = try NoteSigner(name: "frontend.example/rocks/0011", privateKey: .generate())
        let other = try NoteSigner(name: "frontend.example/rocks/0011", privateKey: .generate())
        let note = try SignedNote.sign(Array("hello\n\nworld\n".utf8), with: [signer])
        let reread = try SignedNote(parsing: note.bytes)
        #expect(reread == note)
        #expect(try reread.verify([NoteVerifierKey(signer.verifierKey.description)]).count == 1)
        // Same name, another key: another key id, so an unknown key.
        #expect(throws: Self.rejected) { try reread.verify([other.verifierKey]) }
        // Same name and id but another key: the collision the spec warns of, refused.
        let forged = try NoteSignature(name: signer.name, keyID: signer.keyID, signature: other.sign(note.text).signature)
        #expect(throws: Self.rejected) { try SignedNote(text: note.text, signatures: [forged]).verify([signer.verifierKey]) }
    }

    @Test func anRSAKeyCannotSignNotes() throws {
        #expect(throws: TransparencyError(.unsupportedKey, "")) { try NoteSigner(name: "a", privateKey: .generate(.rsa, rsaBits: 2048)) }
    }

    @Test(arguments: [
        "",                                        // nothing
        "text\n",                                  // no blank line
        "text\n\n",                                // no signatures
        "text\n\n— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=",  // no final newline
        "\u{01}text\n\n— a AAAAAAA=\n",            // control character
        "te\u{09}xt\n\n— a AAAAAAA=\n",            // tab
        "text\r\n\n— a AAAAAAA=\n",                // carriage return
        "text\n\n— Bad Name AAAAAAA=\n",           // space in the name
        "text\n\n— a+b AAAAAAA=\n",                // plus in the name
        "text\n\n— \u{00A0}a AAAAAAA=\n",          // Unicode space in the name
        "text\n\n—  AAAAAAA=\n",                   // empty name
        "text\n\n— a\n",                           // no signature
        "text\n\n— a \n",                          // empty signature
        "text\n\n— a AAAA\n",                      // key id without a signature
        "text\n\n— a AAAAAAA\n",                   // unpadded
        "text\n\n— a AAAAAAB=\n",                  // stray bits
        "text\n\n— a AAAAAAA=\nUnexpected line.\n", // not a signature line
        "text\n\n- a AAAAAAA=\n",                  // hyphen, not em dash
    ])
    func malformedNotesAreRefused(_ text: String) {
        #expect(throws: Self.malformed) { try SignedNote(parsing: Array(text.utf8)) }
    }

    @Test func invalidUTF8IsRefused() {
        #expect(throws: Self.malformed) { try SignedNote(parsing: [0xff] + Array("text\n\n— a AAAAAAA=\n".utf8)) }
        #expect(throws: Self.malformed) { try SignedNote(parsing: Array("text".utf8) + [0xc0, 0x80] + Array("\n\n— a AAAAAAA=\n".utf8)) }
    }

    @Test func aHundredSignaturesAreReadAndOneMoreIsNot() throws {
        let vectors = try NoteVectors.load()
        let peter = try NoteVerifierKey(vectors.peter.verifierKey)
        let prefix = vectors.text + "\n"
        #expect(try SignedNote(parsing: Array((prefix + String(repeating: vectors.peter.signatureLine, count: 100)).utf8)).verify([peter]).count == 1)
        let sixteen = (0..<16).map { "— witness\($0).example AAAAAAA=\n" }.joined()
        #expect(try SignedNote(parsing: Array((prefix + sixteen + vectors.peter.signatureLine).utf8)).verify([peter]).count == 1)
        #expect(throws: TransparencyError(.tooLarge, "")) {
            try SignedNote(parsing: Array((prefix + String(repeating: vectors.peter.signatureLine, count: 101)).utf8))
        }
    }

    @Test func aNoteOverOneMebibyteIsRefused() {
        let text = String(repeating: "a", count: SignedNote.sizeLimit) + "\n\n— a AAAAAAA=\n"
        #expect(throws: TransparencyError(.tooLarge, "")) { try SignedNote(parsing: Array(text.utf8)) }
    }

    @Test func textToSignMustEndInANewlineAndHaveNoControlCharacters() throws {
        let signer = try NoteSigner(name: "a", privateKey: .generate())
        #expect(throws: Self.malformed) { try SignedNote.sign(Array("abc".utf8), with: [signer]) }
        #expect(throws: Self.malformed) { try SignedNote.sign(Array("a\u{07}bc\n".utf8), with: [signer]) }
    }

    @Test func manglingsOfAVerifierKeyAreRefused() throws {
        let vectors = try NoteVectors.load()
        let good = Array(vectors.peter.verifierKey.utf8)
        // Go's test: every proper substring, and every byte incremented.
        for start in 0..<good.count {
            for end in (start + 1)...good.count where start != 0 || end != good.count {
                #expect(throws: (any Error).self) { try NoteVerifierKey(String(decoding: good[start..<end], as: UTF8.self)) }
            }
        }
        for position in good.indices {
            var mangled = good
            mangled[position] &+= 1
            #expect(throws: (any Error).self) { try NoteVerifierKey(String(decoding: mangled, as: UTF8.self)) }
        }
        for bad in vectors.badVerifierKeys {
            #expect(throws: (any Error).self) { try NoteVerifierKey(bad) }
        }
        // Upper-case hex is another spelling of the key id: refused so each key has one.
        #expect(throws: Self.malformed) { try NoteVerifierKey("PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW") }
    }

    /// The C2SP examples carry no public key: they parse, their signature line yields a key id
    /// and a 64-byte Ed25519 signature, and with only other keys trusted they are refused.
    @Test func theC2SPExamplesParseAndNeedTheirKey() throws {
        let vectors = try NoteVectors.load()
        let peter = try NoteVerifierKey(vectors.peter.verifierKey)
        let note = try SignedNote(parsing: Array(vectors.c2spNote.utf8))
        #expect(note.signatures.map(\.name) == ["quasimodo.example/salvatore"])
        #expect(note.signatures[0].keyID == 0x367b_a04b)
        #expect(note.signatures[0].signature.count == 64)
        #expect(String(decoding: note.text, as: UTF8.self).hasSuffix("\ned è subito sera.\n"))
        #expect(note.bytes == Array(vectors.c2spNote.utf8))
        #expect(throws: Self.rejected) { try note.verify([peter]) }
        let checkpointNote = try SignedNote(parsing: Array(vectors.c2spCheckpoint.utf8))
        let checkpoint = try Checkpoint(text: checkpointNote.text)
        #expect(checkpoint.origin == "example.com/behind-the-sofa")
        #expect(checkpoint.size == 20_852_163)
        #expect(checkpoint.text == checkpointNote.text)
    }
}

@Suite struct Base64Tests {
    @Test func rfc4648VectorsRoundTrip() {
        let vectors = ["": "", "f": "Zg==", "fo": "Zm8=", "foo": "Zm9v", "foob": "Zm9vYg==", "fooba": "Zm9vYmE=", "foobar": "Zm9vYmFy"]
        for (plain, encoded) in vectors {
            #expect(Base64.encode(Array(plain.utf8)) == encoded)
            #expect(Base64.decode(encoded) == Array(plain.utf8))
        }
        #expect(Base64.encode([0xfb, 0xff]) == "+/8=")
    }

    @Test(arguments: ["Zg", "Zg=", "Zh==", "Zm9=", "Z===", "Zg==Zg==", "Zm9v\n", "Zm-v", "=Zg="])
    func otherSpellingsAreRefused(_ text: String) {
        #expect(Base64.decode(text) == nil)
    }
}
