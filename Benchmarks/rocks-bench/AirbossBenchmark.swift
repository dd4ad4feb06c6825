import AirbossClient
import CLI
import Foundation
import Ledger
import RocksGrammar
import Signing

/// The Airboss over TLS with keep-alive (`executor=no`): appended owner requests per second
/// and their latency at several concurrencies, beside the same run's Ed25519 verify floor.
/// Every request is checked by the client as `pilot` checks it (receipt, proof, checkpoint).
enum AirbossBenchmark {
    static func run() throws {
        let requests = Int(settings["requests"] ?? "2000")!
        let concurrencies = (settings["clients"] ?? "1,16,64").split(separator: ",").compactMap { Int($0) }
        let home = scratch("airboss")
        defer { try? FileManager.default.removeItem(atPath: home) }
        let environment = ["ROCKS_HOME": home, "ROCKS_LIBVIRT_URI": "test:///default"]
        func rocks(_ arguments: [String]) throws {
            let result = RocksCLI.run(arguments, context: CommandContext(environment: environment))
            guard result.status == 0 else { throw CLIError("rocks \(arguments.joined(separator: " ")): \(result.stderr)") }
        }
        try rocks(["init", "name=bench.example.org", "public-ip=137.110.119.117"])
        try rocks(["add", "host", "membership=VM Container"])
        try rocks(["add", "cluster", "137.110.119.118", "2"])
        let keys = try (0..<(concurrencies.max() ?? 1)).map { _ in try PrivateKey.generate() }
        for key in keys { try rocks(["add", "host", "key", "frontend-0-0-0", "key=\(key.publicKey.pem)"]) }

        let (address, pid) = try BenchAirboss.start(home: home, environment: environment)
        defer { kill(pid, SIGTERM) }
        // Receipts are written as pilot writes them, but to memory (tmpfs) where there is one: the
        // clients share the Airboss's two cores, and thousands of receipts in one directory on
        // disk cost more than the server's own work (docs/benchmarks.md).
        let receipts = access("/dev/shm", W_OK) == 0 ? "/dev/shm/rocks-bench-receipts-\(getpid())" : home + "/receipts"
        defer { try? FileManager.default.removeItem(atPath: receipts) }
        let client = try AirbossClient(address: address, known: KnownFrontends(path: home + "/known_frontends"), serverKey: nil,
                                       receipts: receipts, notice: { _ in })
        _ = try client.send("list host macs", ["host": "frontend-0-0-0"], key: keys[0])

        print("rocks bench airboss: \(requests) requests per run, TLS 1.3 with keep-alive, executor=no, client checks every receipt and keeps it in \(receipts)")
        for (op, args) in [("set host power", ["hosts": "hosted-vm-0-0-0", "action": "on", "async": "yes"]), ("list host macs", ["host": "frontend-0-0-0"])] {
            for clients in concurrencies {
                let latencies = Latencies()
                let perClient = max(1, requests / clients)
                let time = seconds {
                    let done = DispatchGroup()
                    for index in 0..<clients {
                        done.enter()
                        Thread {
                            defer { done.leave() }
                            // One connection per client; a request's latency runs from the
                            // previous reply (or the connection's start) to its own checked reply.
                            let last = Clock()
                            do {
                                _ = try client.send(Array(repeating: (op, args), count: perClient), key: keys[index]) { _ in
                                    latencies.add(last.lap())
                                }
                            } catch {
                                print("error - \(error)")
                            }
                        }.start()
                    }
                    done.wait()
                }
                let (p50, p99) = latencies.percentiles()
                print("\(op), \(clients) client(s): \(rate(clients * perClient, time)), p50 \(milliseconds(p50)), p99 \(milliseconds(p99))")
            }
        }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let floors = RawCrypto.verifyFloors()
        let fastest = floors.map { Double($0.count) / $0.time }.max()!
        for floor in floors {
            let inUse = floor.verifier == .libsodium ? "  <- the project's verifier" : ""
            print("Ed25519 verify floor, \(floor.verifier.name), \(cores) cores: \(rate(floor.count, floor.time))  ratio to the fastest \(String(format: "%.2f", Double(floor.count) / floor.time / fastest))\(inUse)")
        }
        let sign = RawCrypto.signFloor()
        print("Ed25519 sign floor, OpenSSL (as pilot signs), \(cores) cores: \(rate(sign.count, sign.time))")
        // Each appended request costs one signature (the client), one verification (the
        // Airboss) and one more (the client checks its receipt's checkpoint), on these cores.
        let verifyRate = floors.first { $0.verifier == .libsodium }.map { Double($0.count) / $0.time }!
        let ceiling = 1 / (sign.time / Double(sign.count) + 2 / verifyRate)
        print("Ed25519 ceiling of this benchmark, one signature and two verifications per request and nothing else: \(rate(Int(ceiling), 1)) on \(cores) cores")
    }
}

/// Nanoseconds since the last lap.
private final class Clock: @unchecked Sendable {
    private var last = DispatchTime.now().uptimeNanoseconds

    func lap() -> UInt64 {
        let now = DispatchTime.now().uptimeNanoseconds
        defer { last = now }
        return now - last
    }
}
