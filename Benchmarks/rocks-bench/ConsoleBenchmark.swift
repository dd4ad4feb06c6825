import AirbossClient
import CLI
import Foundation
import NIOCore
import NIOPosix
import NIOWebSocket
import RocksGrammar
import Signing

/// Bytes through the Airboss's console relay (the built `rocks`'s Airboss: TLS, the grant
/// checked, the VM's socket found through libvirt, the session recorded) and through Debian's
/// `websockify` in front of the same UNIX socket, by the same WebSocket client over TLS 1.3:
/// bulk throughput, and the latency small messages add to a round trip straight to the socket.
///
/// The socket is an echo server the benchmark provides (QEMU does not sink bulk input); the
/// VM is a libvirt test-driver domain whose VNC socket is that server.
enum ConsoleBenchmark {
    static func run() throws {
        let megabytes = Int(settings["megabytes"] ?? "256")!
        let messages = Int(settings["messages"] ?? "5000")!
        let home = scratch("console")
        defer { try? FileManager.default.removeItem(atPath: home) }
        let sink = try EchoSink(path: home + "/vnc.sock")
        let environment = ["ROCKS_HOME": home]
        func rocks(_ arguments: [String]) throws -> String {
            let result = RocksCLI.run(arguments, context: CommandContext(environment: environment))
            guard result.status == 0 else { throw CLIError("rocks \(arguments.joined(separator: " ")): \(result.stderr)") }
            return result.stdout
        }
        _ = try rocks(["init", "name=bench.example.org", "public-ip=137.110.119.117"])
        _ = try rocks(["add", "host", "membership=VM Container"])
        _ = try rocks(["add", "cluster", "137.110.119.118", "1"])
        let owner = try PrivateKey.generate()
        _ = try rocks(["add", "host", "key", "frontend-0-0-0", "key=\(owner.publicKey.pem)"])
        // The container is libvirt's test driver, loaded from a file that holds the compute
        // running, its VNC server on the sink's socket.
        let listed = try CanonicalJSON.decode(Array(try rocks(["list", "host", "vm", "hosted-vm-0-0-0", "output-format=json"]).dropLast().utf8))
        let uuid = listed.arrayValue?.first?["uuid"]?.stringValue ?? ""
        let node = """
            <node><domain type='test'><name>hosted-vm-0-0-0</name><uuid>\(uuid)</uuid><memory>131072</memory>
            <os><type>hvm</type></os><devices><graphics type='vnc' socket='\(sink.path)'/></devices></domain></node>
            """
        try node.write(toFile: home + "/node.xml", atomically: true, encoding: .utf8)
        _ = try rocks(["set", "host", "attr", "vm-container-0-0", "libvirt_uri", "test://\(home)/node.xml"])

        let (address, pid) = try BenchAirboss.start(home: home, environment: environment)
        defer { kill(pid, SIGTERM) }
        let client = try AirbossClient(address: address, known: KnownFrontends(path: home + "/known_frontends"), serverKey: nil,
                                       receipts: home + "/receipts", notice: { _ in })
        let ticket = try AirbossClient.blocking { try await client.consoleTicket(host: "hosted-vm-0-0-0", key: owner) }

        // websockify with the Airboss's own certificate, so the client's pin admits both.
        var relays = [("the Airboss's relay", client)]
        var websockify: Process?
        defer { if let websockify { kill(websockify.processIdentifier, SIGKILL) } }
        if let path = ["/usr/bin/websockify", "/usr/local/bin/websockify"].first(where: FileManager.default.isExecutableFile(atPath:)) {
            let port = 18000 + Int(getpid() % 1000)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: path)
            process.arguments = ["--ssl-only", "--cert=\(home)/keys/airboss-tls.crt", "--key=\(home)/keys/airboss-tls.pem", "--unix-target=\(sink.path)",
                                 "127.0.0.1:\(port)"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            websockify = process
            Thread.sleep(forTimeInterval: 1.5)
            // Pinned under its own address: the same frontend key and ledger.
            let pinned = try client.known.entry(for: address)!
            try client.known.add(KnownFrontends.Entry(airboss: "127.0.0.1:\(port)", ledger: pinned.ledger, key: pinned.key))
            relays.append(("websockify", try AirbossClient(address: "127.0.0.1:\(port)", known: client.known, serverKey: nil, receipts: home + "/receipts",
                                                          notice: { _ in })))
        } else {
            print("websockify is not installed (apt-get install websockify): the relay alone")
        }

        print("rocks bench console: \(megabytes) MiB echoed in 64 KiB frames, \(messages) round trips of 64 bytes, TLS 1.3, one connection each")
        let socket = sink.path
        let direct = try AirbossClient.blocking { try await Self.directRoundTrips(socket, count: messages) }
        print("straight to the socket: round trip p50 \(microseconds(direct.0)), p99 \(microseconds(direct.1))")
        var throughputs: [Double] = []
        for (name, relay) in relays {
            let bulk = try AirbossClient.blocking { try await Self.bulk(try await ConsoleWebSocket.open(client: relay, ticket: ticket), megabytes: megabytes) }
            let small = try AirbossClient.blocking { try await Self.roundTrips(try await ConsoleWebSocket.open(client: relay, ticket: ticket), count: messages) }
            throughputs.append(Double(megabytes) / bulk)
            print("\(name): \(String(format: "%.0f", Double(megabytes) / bulk)) MiB/s echoed; round trip p50 \(microseconds(small.0)), p99 \(microseconds(small.1)); added p50 \(microseconds(small.0 - direct.0)), p99 \(microseconds(small.1 - direct.1))")
        }
        if throughputs.count == 2 { print("throughput ratio, relay to websockify: \(String(format: "%.2f", throughputs[0] / throughputs[1])) (aim >= 1.00)") }
    }

    private static func microseconds(_ seconds: Double) -> String { String(format: "%.0f µs", seconds * 1e6) }

    /// Writes `megabytes` in 64 KiB frames while reading the echo back; the seconds taken.
    static func bulk(_ channel: ConsoleWebSocket.Channel, megabytes: Int) async throws -> Double {
        let chunk = ByteBuffer(repeating: 0x5a, count: 64 << 10)
        let total = megabytes << 20
        let started = DispatchTime.now().uptimeNanoseconds
        try await channel.executeThenClose { inbound, outbound in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for _ in 0..<(total / chunk.readableBytes) {
                        try await outbound.write(WebSocketFrame(fin: true, opcode: .binary, maskKey: .random(), data: chunk))
                    }
                }
                var received = 0
                for try await frame in inbound where frame.opcode == .binary || frame.opcode == .continuation {
                    received += frame.unmaskedData.readableBytes
                    if received >= total { break }
                }
                try await group.waitForAll()
            }
        }
        return Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
    }

    /// `count` round trips of 64 bytes through a relay: p50 and p99 in seconds.
    static func roundTrips(_ channel: ConsoleWebSocket.Channel, count: Int) async throws -> (Double, Double) {
        let latencies = Latencies()
        try await channel.executeThenClose { inbound, outbound in
            var frames = inbound.makeAsyncIterator()
            for _ in 0..<count {
                let started = DispatchTime.now().uptimeNanoseconds
                try await outbound.write(WebSocketFrame(fin: true, opcode: .binary, maskKey: .random(), data: ByteBuffer(repeating: 1, count: 64)))
                var received = 0
                while received < 64, let frame = try await frames.next() { received += frame.unmaskedData.readableBytes }
                latencies.add(DispatchTime.now().uptimeNanoseconds - started)
            }
        }
        return latencies.percentiles()
    }

    /// The floor: the same round trips on the UNIX socket itself.
    static func directRoundTrips(_ path: String, count: Int) async throws -> (Double, Double) {
        let latencies = Latencies()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connect(unixDomainSocketPath: path) { channel in
            channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
        }
        try await channel.executeThenClose { inbound, outbound in
            var buffers = inbound.makeAsyncIterator()
            for _ in 0..<count {
                let started = DispatchTime.now().uptimeNanoseconds
                try await outbound.write(ByteBuffer(repeating: 1, count: 64))
                var received = 0
                while received < 64, let buffer = try await buffers.next() { received += buffer.readableBytes }
                latencies.add(DispatchTime.now().uptimeNanoseconds - started)
            }
        }
        return latencies.percentiles()
    }
}

/// A UNIX socket that sends back every byte it reads.
final class EchoSink {
    let path: String
    private let channel: Channel

    init(path: String) throws {
        self.path = path
        channel = try ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(Echo()) } }
            .bind(unixDomainSocketPath: path).wait()
    }

    deinit { channel.close(promise: nil) }

    private final class Echo: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        func channelRead(context: ChannelHandlerContext, data: NIOAny) { context.write(data, promise: nil) }
        func channelReadComplete(context: ChannelHandlerContext) { context.flush() }
    }
}
