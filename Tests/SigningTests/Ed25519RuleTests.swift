import Foundation
import Signing
import Testing
import TestSupport

/// The project's one Ed25519 rule (see `Signing/Ed25519.swift`) against published edge cases:
/// "Taming the many EdDSAs" (Chalkias, Garillot, Nikolaenko, 2020) and Wycheproof.
@Suite struct Ed25519RuleTests {
    struct SpeccheckCase: Decodable {
        let message: String
        let pub_key: String
        let signature: String
    }

    /// What the rule does with each of the paper's twelve cases, and why. OpenSSL 3.0 accepts
    /// cases 0 to 3 and 11; libsodium's verifier alone accepts case 3, whose key has a
    /// small-order component; this rule accepts none.
    enum Outcome: Equatable { case keyRefused, signatureRefused }
    static let expected: [Outcome] = [
        .keyRefused,        // 0: small-order A and R, S = 0
        .keyRefused,        // 1: small-order A, mixed-order R
        .keyRefused,        // 2: mixed-order A, small-order R
        .keyRefused,        // 3: mixed-order A and R, valid under both equations
        .keyRefused,        // 4: mixed-order A and R, valid only under the cofactored equation
        .keyRefused,        // 5: mixed-order A, valid only when the hash is reduced after a cofactor
        .signatureRefused,  // 6: S above the group order L
        .signatureRefused,  // 7: S far above L
        .keyRefused,        // 8: non-canonical R, mixed-order A
        .keyRefused,        // 9: non-canonical R, mixed-order A
        .keyRefused,        // 10: non-canonical A
        .keyRefused,        // 11: non-canonical A
    ]

    private func bytes(_ hex: String) throws -> [UInt8] { try #require(Hex.decode(hex)) }

    @Test func everyCaseOfTamingTheManyEdDSAsIsRefused() throws {
        // fixtures/signing/ed25519-speccheck-cases.json: see fixtures/signing/README.md.
        let cases = try JSONDecoder().decode([SpeccheckCase].self, from: Data(Fixtures.text("signing/ed25519-speccheck-cases.json").utf8))
        #expect(cases.count == Self.expected.count)
        for (index, testCase) in cases.enumerated() {
            let outcome: Outcome
            do {
                let key = try PublicKey(rawEd25519: try bytes(testCase.pub_key))
                let valid = key.isValidSignature(try bytes(testCase.signature), for: try bytes(testCase.message), algorithm: .ed25519)
                #expect(!valid, "case \(index) was accepted")
                outcome = .signatureRefused
            } catch let error as SigningError {
                #expect(error.code == .weakKey, "case \(index): \(error)")
                outcome = .keyRefused
            }
            #expect(outcome == Self.expected[index], "case \(index)")
        }
    }

    struct Wycheproof: Decodable {
        struct Group: Decodable {
            struct Key: Decodable { let pk: String }
            struct Test: Decodable {
                let tcId: Int
                let comment: String
                let msg: String
                let sig: String
                let result: String
            }
            let publicKey: Key
            let publicKeyPem: String
            let tests: [Test]
        }
        let testGroups: [Group]
    }

    @Test func wycheproofVerdictsAreOurs() throws {
        // fixtures/signing/wycheproof-ed25519_test.json: see fixtures/signing/README.md.
        let vectors = try JSONDecoder().decode(Wycheproof.self, from: Data(Fixtures.text("signing/wycheproof-ed25519_test.json").utf8))
        var valid = 0, invalid = 0
        for group in vectors.testGroups {
            let key = try PublicKey(rawEd25519: try bytes(group.publicKey.pk))
            #expect(try PublicKey(pem: group.publicKeyPem) == key)
            for test in group.tests {
                let accepted = key.isValidSignature(try bytes(test.sig), for: try bytes(test.msg), algorithm: .ed25519)
                #expect(accepted == (test.result == "valid"), "tcId \(test.tcId) (\(test.comment)): \(test.result)")
                if test.result == "valid" { valid += 1 } else { invalid += 1 }
            }
        }
        // Both verdicts are exercised, so a verifier that accepts or refuses everything fails.
        #expect(valid > 50 && invalid > 50)
    }

    @Test func keysOfSmallOrMixedOrderAreRefusedWhereverTheyAreRead() throws {
        // Case 3's key: a prime-order point plus a point of order 8. OpenSSL reads it happily.
        let mixedHex = "cdb267ce40c5cd45306fa5d2f29731459387dbf9eb933b7bd5aed9a765b88d4d"
        let spki = [0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00] + (try bytes(mixedHex))
        #expect(throws: SigningError.self) { try PublicKey(spkiDER: spki) }
        let pem = "-----BEGIN PUBLIC KEY-----\n\(Base64.encode(spki))\n-----END PUBLIC KEY-----\n"
        do {
            _ = try PublicKey(pem: pem)
            Issue.record("a mixed-order PEM key was read")
        } catch {
            #expect(error.code == .weakKey)
            #expect(error.description.contains("weak"))
        }
        // The identity point, the simplest small-order key.
        #expect(throws: SigningError.self) { try PublicKey(rawEd25519: [1] + [UInt8](repeating: 0, count: 31)) }
        // A generated key is of prime order and is read back.
        let fresh = try PrivateKey.generate(.ed25519).publicKey
        #expect(try PublicKey(pem: fresh.pem) == fresh)
    }
}
