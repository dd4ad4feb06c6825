import Ledger
import Projections
import Signing
import Testing
import TestSupport

/// What an append accepts, what it refuses, and that a refusal appends nothing.
@Suite struct AppendTests {
    @Test func appendsDenseChainedRecordsEachCoveredByACheckpoint() throws {
        let test = try TestLedger()
        let first = try test.ledger.append(try test.addHostKey(try PrivateKey.generate()))
        let batch = try test.ledger.append(batch: [try test.addHostKey(try PrivateKey.generate()), try test.addHostKey(try PrivateKey.generate())])
        #expect(first.sequence == 2)
        #expect(batch.map(\.sequence) == [3, 4])
        let record3 = try #require(try test.ledger.record(3))
        #expect(record3.previousDigest == first.digest)
        #expect((try record3.parsedDecision())["number"]?.integerValue == 2)
        #expect(try test.ledger.head().sequence == 4)
        #expect(try test.ledger.latestCheckpoint().sequence == 4)
        let report = try test.ledger.verify()
        // One checkpoint per commit: genesis, the single append, the batch.
        #expect(report.records == 4 && report.checkpoints == 3)
    }

    @Test func theLedgerIsDurableByDefault() throws {
        let test = try TestLedger()
        #expect(test.ledger.environment.flags & LMDBEnvironment.nonDurableFlags == 0)
        var fast = LMDBEnvironment.Options()
        fast.unsafeNoSyncForTests = true
        let unsafe = try TestLedger(options: fast)
        #expect(unsafe.ledger.environment.flags & LMDBEnvironment.nonDurableFlags != 0)
    }

    @Test func theMapGrowsWhenFull() throws {
        var small = LMDBEnvironment.Options()
        small.mapSize = 128 * 1024
        let test = try TestLedger(options: small)
        let before = test.ledger.environment.mapSize
        try test.fill(400, batch: 100)
        #expect(test.ledger.environment.mapSize > before)
        #expect(try test.ledger.verify().records == 401)
    }

    /// Each refusal: the right error, and the head exactly where it was.
    private func expectRefused(_ test: TestLedger, _ code: LedgerError.Code, _ append: () throws -> Void) throws {
        let head = try test.ledger.head()
        let error = #expect(throws: LedgerError.self) { try append() }
        #expect(error?.code == code, "\(String(describing: error))")
        #expect(try test.ledger.head() == head)
    }

    @Test func refusesARequestSignedByAnUnknownKey() throws {
        let test = try TestLedger()
        let stranger = try PrivateKey.generate()
        try expectRefused(test, .unknownKey) { _ = try test.ledger.append(try test.request("add host key", ["host": "espresso", "key": stranger.publicKey.pem], by: stranger)) }
    }

    @Test func refusesABadSignature() throws {
        let test = try TestLedger()
        let good = try test.addHostKey(try PrivateKey.generate())
        var signature = good.signature
        signature[5] ^= 0x01
        let forged = try SignedRequest(bytes: good.bytes, signature: signature)
        try expectRefused(test, .badSignature) { _ = try test.ledger.append(forged) }
    }

    @Test func refusesAReplayedNonce() throws {
        let test = try TestLedger()
        let request = try test.addHostKey(try PrivateKey.generate())
        _ = try test.ledger.append(request)
        try expectRefused(test, .replayedNonce) { _ = try test.ledger.append(request) }
    }

    @Test func refusesExpiredAndFutureRequests() throws {
        let test = try TestLedger()
        let expired = try test.request("add host key", ["host": "espresso", "key": try PrivateKey.generate().publicKey.pem],
                                       issued: test.clock.now.adding(seconds: -900), lifetime: 600)
        try expectRefused(test, .expired) { _ = try test.ledger.append(expired) }
        let future = try test.request("add host key", ["host": "espresso", "key": try PrivateKey.generate().publicKey.pem],
                                      issued: test.clock.now.adding(seconds: 180))
        try expectRefused(test, .expired) { _ = try test.ledger.append(future) }
    }

    @Test func refusesARequestForAnotherLedger() throws {
        let test = try TestLedger()
        let request = try test.request("add host key", ["host": "espresso", "key": try PrivateKey.generate().publicKey.pem], ledgerID: .random())
        try expectRefused(test, .wrongLedger) { _ = try test.ledger.append(request) }
    }

    @Test func aStaleHeadIsAnErrorNeverAFork() throws {
        let test = try TestLedger()
        let head = try test.ledger.head().sequence
        _ = try test.ledger.append(try test.addHostKey(try PrivateKey.generate()), expectedHead: head)
        try expectRefused(test, .staleHead) { _ = try test.ledger.append(try test.addHostKey(try PrivateKey.generate()), expectedHead: head) }
    }

    @Test func aKeyRemovedInsideTheSameCommitIsNoLongerInForce() throws {
        let test = try TestLedger()
        let owner = try PrivateKey.generate()
        let added = try test.ledger.append(try test.addHostKey(owner))
        let number = try #require(added.decision["number"]?.integerValue)
        let remove = try test.request("remove host key", ["host": "espresso", "id": String(number)])
        let byOwner = try test.request("remove host key", ["host": "espresso", "id": String(number)], by: owner)
        // The owner's key is in force when signatures are checked, gone when the second request is decided.
        try expectRefused(test, .keyNotInForce) { _ = try test.ledger.append(batch: [remove, byOwner]) }
    }

    @Test func aVerifiedRequestThatIsNotAllowedIsRecordedAsDenied() throws {
        let test = try TestLedger()
        let owner = try PrivateKey.generate()
        _ = try test.ledger.append(try test.addHostKey(owner))
        let views = try test.viewContents()
        let attempt = try test.request("add host key", ["host": "espresso", "key": try PrivateKey.generate().publicKey.pem], by: owner)
        let appended = try test.ledger.append(attempt)
        #expect(appended.denial?.contains("may not 'add host key'") == true)
        #expect(try test.ledger.record(appended.sequence)?.denial != nil)
        // Only the nonce index moved: the denial changed no view.
        var after = try test.viewContents()
        var before = views
        after[Ledger.noncesName] = nil
        before[Ledger.noncesName] = nil
        #expect(after == before)
    }

    @Test func aDomainRefusalAppendsNothing() throws {
        let test = try TestLedger()
        let key = try PrivateKey.generate()
        _ = try test.ledger.append(try test.addHostKey(key))
        let head = try test.ledger.head()
        #expect(throws: DomainError.self) { try test.ledger.append(try test.addHostKey(key)) }
        #expect(throws: DomainError.self) { try test.ledger.append(try test.addHostKey(try PrivateKey.generate(), host: "nosuchhost")) }
        #expect(throws: DomainError.self) { try test.ledger.append(try test.request("remove host key", ["host": "espresso", "id": "99"])) }
        #expect(try test.ledger.head() == head)
    }

    @Test func appendTimesNeverDecreaseWhenTheClockStepsBack() throws {
        let test = try TestLedger()
        _ = try test.ledger.append(try test.addHostKey(try PrivateKey.generate()))
        test.clock.advance(seconds: -60)
        let appended = try test.ledger.append(try test.addHostKey(try PrivateKey.generate()))
        let times = try (1...appended.sequence).map { try #require(try test.ledger.record($0)).appended }
        #expect(times == times.sorted())
    }

    @Test func rebuildGivesByteIdenticalViews() throws {
        let test = try TestLedger()
        try test.fill(50, batch: 7)
        _ = try test.ledger.append(try test.request("remove host key", ["host": "espresso", "id": "3"]))
        let before = try test.viewContents()
        #expect(try test.ledger.rebuild() == 52)
        #expect(try test.viewContents() == before)
    }
}

/// `append(group:)`, the Airboss's group commit: one durable commit and one checkpoint for
/// many requests, each of which stands or falls alone.
@Suite struct GroupAppendTests {
    @Test func aRefusedRequestDoesNotFailItsNeighbours() throws {
        let test = try TestLedger()
        let first = try test.addHostKey(try PrivateKey.generate())
        var tampered = try test.addHostKey(try PrivateKey.generate())
        tampered = try SignedRequest(bytes: tampered.bytes, signature: tampered.signature.map { $0 ^ 1 })
        let stranger = try PrivateKey.generate()
        let group = [first, tampered, try test.request("add host key", ["host": "espresso", "key": try PrivateKey.generate().publicKey.pem], by: stranger),
                     first, try test.request("add host key", ["host": "nosuchhost", "key": try PrivateKey.generate().publicKey.pem]),
                     try test.request("add host key", ["host": "espresso", "key": try PrivateKey.generate().publicKey.pem], ledgerID: .random()),
                     try test.addHostKey(try PrivateKey.generate())]
        let before = try test.ledger.head().sequence
        let results = try test.ledger.append(group: try test.ledger.verify(group))
        let codes = results.map { result -> String in
            switch result {
            case .success(let appended): "appended \(appended.sequence - before)"
            case .failure(let error as LedgerError): error.code.name
            case .failure(let error): "\(type(of: error))"
            }
        }
        #expect(codes == ["appended 1", "badSignature", "unknownKey", "replayedNonce", "DomainError", "wrongLedger", "appended 2"])
        // Two records, one commit: the checkpoint covers both, and there is none in between.
        #expect(try test.ledger.head().sequence == before + 2)
        #expect(try test.ledger.latestCheckpoint().sequence == before + 2)
        let report = try test.ledger.verify()
        #expect(report.records == before + 2 && report.checkpoints == before + 1)
    }

    /// The Airboss verifies a request when it arrives and appends it later, with a group: a
    /// key removed in between no longer speaks, and the group's other requests go on.
    @Test func aKeyRemovedAfterVerificationIsRefusedAtTheAppend() throws {
        let test = try TestLedger()
        let owner = try PrivateKey.generate()
        let number = try #require(try test.ledger.append(try test.addHostKey(owner)).decision["number"]?.integerValue)
        let verified = try test.ledger.verify([try test.request("set host power", ["hosts": "espresso", "action": "off"], by: owner),
                                                try test.addHostKey(try PrivateKey.generate())])
        #expect(verified.allSatisfy { (try? $0.get()) != nil })
        _ = try test.ledger.append(try test.request("remove host key", ["host": "espresso", "id": String(number)]))
        let results = try test.ledger.append(group: verified)
        guard case .failure(let error as LedgerError) = results[0] else { Issue.record("appended by a removed key: \(results[0])"); return }
        #expect(error.code == .keyNotInForce)
        #expect((try? results[1].get()) != nil)
    }

    @Test func aGroupWhollyRefusedAppendsNothingAndSignsNothing() throws {
        let test = try TestLedger()
        let before = try test.ledger.head().sequence
        let results = try test.ledger.append(group: try test.ledger.verify([try test.request("add host key", ["host": "nosuchhost", "key": try PrivateKey.generate().publicKey.pem])]))
        #expect(results.count == 1 && (try? results[0].get()) == nil)
        #expect(try test.ledger.head().sequence == before && test.ledger.latestCheckpoint().sequence == before)
    }
}
