import Foundation
import Ledger
import Signing

#if canImport(Glibc)
import Glibc
#endif

/// Durable single appends, batched appends and verification, beside raw liblmdb and raw OpenSSL.
enum LedgerBenchmark {
    static func run() throws {
        let singleCount = Int(settings["single"]!)!
        let batchedCount = Int(settings["batched"]!)!
        let batchSize = Int(settings["batch"]!)!
        let cores = ProcessInfo.processInfo.activeProcessorCount

        func flagNames(_ flags: UInt32) -> String {
            let names: [(UInt32, String)] = [(0x200000, "MDB_NOTLS"), (0x10000, "MDB_NOSYNC"), (0x40000, "MDB_NOMETASYNC"),
                                             (0x100000, "MDB_MAPASYNC"), (0x80000, "MDB_WRITEMAP"), (0x20000, "MDB_RDONLY")]
            let set = names.filter { flags & $0.0 != 0 }.map(\.1)
            return String(format: "0x%x", flags) + " (" + (set.isEmpty ? "none" : set.joined(separator: "|")) + ")"
        }

        // MARK: Requests, signed before any clock starts

        let admin = try PrivateKey.generate()
        let frontend = try PrivateKey.generate()
        let ledgerID = LedgerID.random()
        let now = Timestamp.now()
        let recordSize = 512
        // A record is its request plus 194 bytes (header, signature, `{}` decision, digest).
        let requestSize = recordSize - 194

        func request(_ index: Int) throws -> SignedRequest {
            var envelope = RequestEnvelope(op: "bench append", args: ["pad": ""], signer: admin.publicKey, ledger: ledgerID, now: now, lifetime: 600)
            let padding = requestSize - envelope.canonicalBytes.count
            envelope.args["pad"] = String(repeating: "x", count: padding - String(index).count) + String(index)
            return try SignedRequest(signing: envelope, with: admin)
        }

        print("rocks-bench ledger: \(recordSize)-byte records, \(cores) cores, directory \(settings["dir"]!)")
        let singles = try (0..<singleCount).map(request)
        let batched = try (singleCount..<(singleCount + batchedCount)).map(request)

        func newLedger(_ label: String) throws -> (Ledger, String) {
            let directory = scratch(label)
            let genesisArgs = ["name": "bench.example.org", "public-ip": "192.0.2.1",
                               Genesis.adminKeyArgument: admin.publicKey.pem, Genesis.frontendKeyArgument: frontend.publicKey.pem]
            let genesis = try SignedRequest(signing: RequestEnvelope(op: Genesis.op, args: genesisArgs, signer: admin.publicKey, ledger: ledgerID, now: now), with: admin)
            let ledger = try Ledger.create(directory: directory + "/ledger", genesis: genesis, frontendKey: frontend,
                                           projection: BenchProjection(admin: admin.publicKey))
            return (ledger, directory)
        }

        // MARK: Single durable appends

        let (singleLedger, singleDirectory) = try newLedger("single")
        let sample = try singleLedger.append(singles[0])
        let actualSize = try singleLedger.record(sample.sequence)!.bytes.count
        let ledgerSingleTime = try seconds { for request in singles.dropFirst() { _ = try singleLedger.append(request) } }
        let rawSingleDirectory = scratch("raw-single")
        let rawSingle = RawLMDB(directory: rawSingleDirectory)
        let values = (0..<max(singleCount, batchedCount)).map { index in [UInt8](repeating: UInt8(truncatingIfNeeded: index), count: actualSize) }
        let rawSingleTime = seconds { rawSingle.append(Array(values.prefix(singleCount - 1)), first: 1, perCommit: 1) }

        // The single-append floor with the crypto every append must do: verify the request, sign
        // the checkpoint, commit durably, all raw, one after the other.
        let floorDirectory = scratch("raw-floor")
        let rawFloor = RawLMDB(directory: floorDirectory)
        let floorVerifyKey = RawCrypto.ed25519Key(fromSPKI: admin.publicKey.spkiDER)
        let floorSigner = RawCrypto.signer()
        let checkpointBody = [UInt8](repeating: 0x41, count: 150)
        let rawFloorTime = seconds {
            for (index, request) in singles.dropFirst().enumerated() {
                precondition(RawCrypto.verify(floorVerifyKey, request.bytes, request.signature))
                _ = RawCrypto.sign(floorSigner, checkpointBody)
                rawFloor.append([values[index]], first: UInt64(index + 1), perCommit: 1)
            }
        }

        print("record size \(actualSize) bytes; LMDB flags: ledger \(flagNames(singleLedger.environment.flags)), raw \(flagNames(rawSingle.flags))")
        let singleRatio = (Double(singleCount - 1) / ledgerSingleTime) / (Double(singleCount - 1) / rawSingleTime)
        print("single durable appends (\(singleCount - 1)): ledger \(rate(singleCount - 1, ledgerSingleTime))  raw LMDB \(rate(singleCount - 1, rawSingleTime))  ratio \(String(format: "%.2f", singleRatio)) (aim >= 0.70)")
        print("  raw floor with the required crypto (verify + checkpoint sign + commit): \(rate(singleCount - 1, rawFloorTime))  ratio \(String(format: "%.2f", rawFloorTime / ledgerSingleTime))")

        // MARK: Batched appends

        let (batchLedger, batchDirectory) = try newLedger("batched")
        let ledgerBatchTime = try seconds {
            var index = 0
            while index < batched.count {
                _ = try batchLedger.append(batch: Array(batched[index..<min(index + batchSize, batched.count)]))
                index += batchSize
            }
        }
        let rawBatchDirectory = scratch("raw-batched")
        let rawBatch = RawLMDB(directory: rawBatchDirectory)
        let rawBatchTime = seconds { rawBatch.append(Array(values.prefix(batchedCount)), first: 1, perCommit: batchSize) }
        let messages = batched.map(\.bytes), signatures = batched.map(\.signature)
        var verified = 0
        // The floor is the library the ledger verifies with.
        let rawVerifyTime = seconds {
            verified = RawCrypto.verifyAll(.libsodium, key: admin.publicKey.rawEd25519!, messages: messages, signatures: signatures, cores: cores)
        }
        precondition(verified == batched.count, "raw verification failed")
        let ledgerBatchRate = Double(batchedCount) / ledgerBatchTime
        let slowerFloor = min(Double(batchedCount) / rawBatchTime, Double(batchedCount) / rawVerifyTime)
        print("batched appends (\(batchedCount), \(batchSize) per commit): ledger \(rate(batchedCount, ledgerBatchTime))  raw LMDB \(rate(batchedCount, rawBatchTime))  raw Ed25519 verify on \(cores) cores \(rate(batchedCount, rawVerifyTime))  ratio to the slower floor \(String(format: "%.2f", ledgerBatchRate / slowerFloor)) (aim >= 0.70)")

        // MARK: The Merkle tree

        try TreeBenchmark.upkeep(count: batchedCount, batchSize: batchSize, appendTime: ledgerBatchTime)
        try TreeBenchmark.proofs(size: Int(settings["tree"]!)!, samples: 1000)

        // MARK: Verify

        var report: VerificationReport?
        let verifyTime = try seconds { report = try batchLedger.verify() }
        let records = Int(report!.records)
        // The floor verifies the same number of signatures: one per record and one per checkpoint.
        let verifyFloorRate = Double(batchedCount) / rawVerifyTime
        let verifyRate = Double(records) / verifyTime
        print("verify (\(records) records, \(report!.checkpoints) checkpoints): ledger \(rate(records, verifyTime))  raw verify floor \(rate(batchedCount, rawVerifyTime))  ledger is \(String(format: "%.2f", verifyFloorRate / verifyRate))x the floor's time (aim <= 1.50)")
        var scanned = 0
        let scanTime = seconds { scanned = rawBatch.scan() }
        print("raw LMDB cursor scan: \(rate(batchedCount, scanTime)) (\(scanned / 1_000_000) MB)")

        for directory in [singleDirectory, rawSingleDirectory, floorDirectory, batchDirectory, rawBatchDirectory] {
            try? FileManager.default.removeItem(atPath: directory)
        }
    }
}
