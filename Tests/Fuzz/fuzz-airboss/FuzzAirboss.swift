import AirbossAPI
import Airboss
import CLI
import Executors
import Foundation
import FuzzSupport
import Ledger
import Logging
import NIOPosix
import Projections
import Signing

/// The Airboss's request handling (`OwnerRequests`, what `POST /v1/requests` runs) over a
/// real ledger holding the seed's containers and one virtual cluster, whose frontend carries
/// an owner's key.
///
/// The first byte chooses the input's form: a document as received (0), or a request to sign,
/// its words separated by NUL bytes (the op, then `name=value` arguments), signed by the
/// owner's key (1), the admin key (2) or a key the ledger does not hold (3). Whatever comes:
///
/// - the answer is one of the statuses the API documents, never a failure of the Airboss;
/// - a request is appended (200 or 403) or it is not (anything else), and the ledger's head
///   says the same;
/// - an appended request's receipt proves the very request sent, under the frontend key;
/// - the same document sent again is a replay: refused, nothing appended.
enum FuzzAirboss {
    static let documented: Set<Int> = [200, 400, 401, 403, 409, 413, 429]

    final class World: @unchecked Sendable {
        let ledger: Ledger
        let requests: OwnerRequests
        let keys: [PrivateKey]

        init() throws {
            let home = NSTemporaryDirectory() + "fuzz-airboss-\(getpid())"
            try? FileManager.default.removeItem(atPath: home)
            let environment = ["ROCKS_HOME": home, "ROCKS_LIBVIRT_URI": "test:///default"]
            let owner = try PrivateKey.generate(.ed25519)
            try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
            try owner.publicKey.pem.write(toFile: home + "/owner.pub", atomically: true, encoding: .utf8)
            for command in [
                ["init", "name=espresso.rocksclusters.org", "public-ip=137.110.119.117"],
                ["add", "host", "membership=VM Container", "mac=00:14:4f:80:de:00"],
                ["add", "host", "membership=VM Container", "mac=00:14:4f:80:de:01"],
                ["add", "cluster", "ip=137.110.119.118", "num-computes=2"],
                ["add", "host", "key", "frontend-0-0-0", "key=\(home)/owner.pub"],
            ] {
                let result = RocksCLI.run(command, context: CommandContext(environment: environment, passphrasePrompt: { _ in nil }))
                guard result.status == 0 else { throw FuzzSetupError("rocks \(command.joined(separator: " ")): \(result.stderr)") }
            }
            let frontend = try PrivateKey(pem: String(contentsOfFile: home + "/keys/frontend.pem", encoding: .utf8))
            let admin = try PrivateKey(pem: String(contentsOfFile: home + "/keys/admin.pem", encoding: .utf8))
            ledger = try Ledger(directory: home + "/ledger", projection: DomainProjection(), frontendKey: frontend)
            var logger = Logger(label: "fuzz-airboss")
            logger.logLevel = .critical
            let executor = Executor(ledger: ledger, frontendKey: frontend, lockPath: home + "/executor.lock",
                                    configuration: .init(defaultURI: "test:///default"), logger: logger)
            let workers = NIOThreadPool(numberOfThreads: 2)
            workers.start()
            // No limit to the rate: the fuzzer is one key sending as fast as it can. Outcomes
            // are not waited for: no executor runs.
            requests = OwnerRequests(ledger: ledger, executor: executor, logger: logger, defaultURI: "test:///default", outcomeTimeout: 0,
                                     rateLimit: .init(rate: 0, burst: 1), workers: workers)
            keys = [owner, admin, try PrivateKey.generate(.ed25519)]
        }
    }

    struct FuzzSetupError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    static let world: World = {
        do { return try World() } catch { fatalError("fuzz-airboss setup: \(error)") }
    }()

    static func check(_ bytes: [UInt8]) {
        guard let form = bytes.first else { return }
        let rest = Array(bytes.dropFirst())
        let document: [UInt8]
        var sent: SignedRequest?
        if form % 4 == 0 {
            document = rest
        } else {
            let words = rest.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
            guard let op = words.first, words.count <= 32 else { return }
            var args: [String: String] = [:]
            for word in words.dropFirst() {
                guard let equals = word.firstIndex(of: "=") else { return }
                args[String(word[..<equals])] = String(word[word.index(after: equals)...])
            }
            let key = world.keys[Int(form % 4) - 1]
            let envelope = RequestEnvelope(op: op, args: args, signer: key.publicKey, ledger: world.ledger.id, now: .now())
            guard let signed = try? SignedRequest(signing: envelope, with: key) else { return }
            sent = signed
            document = signed.document
        }
        let head = headSequence()
        let reply = handle(document)
        FuzzInput.require(documented.contains(reply.status), "answered \(reply.status): \(String(decoding: reply.body, as: UTF8.self))")
        let appended = reply.status == 200 || reply.status == 403
        FuzzInput.require(headSequence() == head + (appended ? 1 : 0), "answered \(reply.status) but the head moved from \(head) to \(headSequence())")
        guard appended else { return }
        guard let answer = try? AirbossAnswer(json: reply.body), let receipt = try? Receipt(parsing: answer.receipt) else {
            FuzzInput.require(false, "an appended request's answer carries no readable receipt")
            return
        }
        let request = sent ?? (try? SignedRequest(document: document))
        let checked = try? receipt.check(frontendKey: world.ledger.genesis.frontendKey, ledger: world.ledger.id, request: request)
        FuzzInput.require(checked?.record.sequence == head + 1, "the receipt does not prove the request appended")
        let again = handle(document)
        FuzzInput.require(again.status == 409 && headSequence() == head + 1, "a replay was answered \(again.status)")
    }

    private static func headSequence() -> UInt64 {
        (try? world.ledger.head().sequence) ?? 0
    }

    /// Runs the async handler to its end from libFuzzer's thread.
    private static func handle(_ document: [UInt8]) -> OwnerRequests.Reply {
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var reply: OwnerRequests.Reply?
        Task.detached {
            reply = await world.requests.handle(document)
            done.signal()
        }
        done.wait()
        return reply!
    }
}

#if FUZZING
/// The world is made before the first input, so its threads and buffers, which live as long
/// as the process, are not taken for an input's leaks.
@_cdecl("LLVMFuzzerInitialize")
public func fuzzInitialize(_ argc: UnsafeMutablePointer<CInt>?, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>?) -> CInt {
    _ = FuzzAirboss.world
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzAirboss.check(FuzzInput.bytes(data, size))
    return 0
}
#else
@main enum Replay {
    static func main() { FuzzInput.replay(FuzzAirboss.check) }
}
#endif
