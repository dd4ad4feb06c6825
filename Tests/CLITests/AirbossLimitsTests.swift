import Foundation
import Ledger
import Signing
import Testing
import TestSupport

/// The Airboss's limits on what it reads from the network, its per-key rate limit and its
/// metrics, against a real Airboss process on loopback.
@Suite(.serialized, .tags(.slow), .notInFastRuns) struct AirbossLimitsTests {
    /// `curl` posting each body in turn over one keep-alive connection: each answer's status
    /// and Retry-After header.
    private func postAll(_ bodies: [[UInt8]], to setup: AirbossTests.Setup) throws -> [(status: Int, retryAfter: Int?)] {
        var arguments: [String] = []
        for (index, body) in bodies.enumerated() {
            let file = setup.airboss.user.file("burst-\(index)")
            try Data(body).write(to: URL(fileURLWithPath: file))
            if index > 0 { arguments.append("--next") }
            arguments += ["-sk", "-o", "/dev/null", "-w", "%{http_code} %header{retry-after}\n", "--data-binary", "@\(file)",
                          "https://\(setup.airboss.address)/v1/requests"]
        }
        let out = try ProcessRunner.run("curl", arguments)
        return out.stdout.split(separator: "\n").map { line in
            let fields = line.split(separator: " ")
            return (Int(fields[0]) ?? 0, fields.count > 1 ? Int(fields[1]) : nil)
        }
    }

    @Test func theRateLimitAnswers429AndAppendsNothingAndTheMetricsCountIt() throws {
        let setup = try AirbossTests.Setup(settings: ["rate=1", "burst=2", "metrics=0"])
        let key = try setup.ownerKey
        let list = { try setup.signed("list host macs", ["host": "frontend-0-0-0", "status": "no"], key: key) }
        // Forged signatures under the owner's key id are refused before the bucket: they
        // cannot spend the owner's tokens.
        let forged = try (0..<3).map { _ in
            let genuine = try list()
            var signature = genuine.signature
            signature[0] ^= 1
            return SignedRequest.document(bytes: genuine.bytes, signature: signature)
        }
        let head = try setup.airboss.headSequence
        let answers = try postAll(forged + (0..<5).map { _ in try list().document }, to: setup)
        #expect(answers.map(\.status) == [401, 401, 401, 200, 200, 429, 429, 429])
        #expect(answers.suffix(3).allSatisfy { ($0.retryAfter ?? 0) >= 1 }, "\(answers)")
        #expect(try setup.airboss.headSequence == head + 2, "exactly the two admitted requests are appended")

        // One line saying why, for a client that reads the body.
        let refused = try setup.post(try list().document)
        #expect(refused.status == 429 && !refused.appended)
        #expect(refused.answer.contains("rate limit: a key may send 2 requests at once, then 1 per second"), "\(refused.answer)")

        let op = "op=\"list host macs\""
        #expect(try setup.airboss.metric("airboss_requests_total{\(op),result=\"allowed\"}") == 2)
        #expect(try setup.airboss.metric("airboss_requests_total{\(op),result=\"rate-limited\"}") == 4)
        #expect(try setup.airboss.metric("airboss_requests_total{\(op),result=\"unauthenticated\"}") == 3)
        #expect(try setup.airboss.metric("airboss_refused_signatures_total") == 3)
        #expect(try setup.airboss.metric("airboss_request_duration_seconds_count{\(op)}") == 9)
        #expect(try setup.airboss.metric("airboss_group_size_sum") >= 2)
        // The text is Prometheus's: every sample's metric has its TYPE line.
        let text = try setup.airboss.metrics()
        for name in ["airboss_requests_total counter", "airboss_request_duration_seconds histogram", "airboss_group_size histogram",
                     "airboss_refused_signatures_total counter", "airboss_open_connections gauge"] {
            #expect(text.contains("# TYPE \(name)\n"), "\(name) in \(text)")
        }
        // An op no owner may send is counted as `other`, so strangers cannot add labels.
        _ = try setup.post(try setup.signed("frobnicate \(UInt64.random(in: 0...UInt64.max))", [:], key: key).document)
        #expect(try setup.airboss.metric("airboss_requests_total{op=\"other\",result=\"operator-op\"}") == 1)
        #expect(!(try setup.airboss.metrics()).contains("frobnicate"))
    }

    @Test func anIdleClientIsDroppedAndBlocksNobody() throws {
        let setup = try AirbossTests.Setup(settings: ["idle-timeout=2", "max-connections=8", "metrics=0"])
        // Five clients connect and send nothing: no TLS handshake, no request.
        let idle = try (0..<5).map { _ in try LoopbackSocket(port: setup.airboss.port) }
        Thread.sleep(forTimeInterval: 0.3)
        #expect(try setup.airboss.metric("airboss_open_connections") == 5)
        // Meanwhile an owner is served.
        let listed = try setup.airboss.pilot("list", "host", "macs", "host=frontend-0-0-0", "key=\(setup.owner.path)", "status=no")
        #expect(listed.status == 0, "\(listed.stderr)")
        // Each idle client is dropped at the idle limit: its read sees the end.
        let started = Date()
        for socket in idle { #expect(socket.readsEndOfStream(within: 10)) }
        #expect(Date().timeIntervalSince(started) < 5)
        #expect(try setup.airboss.metric("airboss_open_connections") == 0)
    }

    @Test func oversizedHeadersAndBodiesAreRefusedUnread() throws {
        let setup = try AirbossTests.Setup(settings: ["idle-timeout=2"])
        let head = try setup.airboss.headSequence
        // A head over the limit, or one that never ends, is closed unanswered by the limit.
        let started = Date()
        for header in ["X-Padding: " + String(repeating: "a", count: 8 * 1024), (1...40).map { "X-Padding-\($0): " + String(repeating: "a", count: 1000) }.joined(separator: "\r\n")] {
            let big = try ProcessRunner.run("curl", ["-sk", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "10", "-H", header, "--data-binary", "{}",
                                                     "https://\(setup.airboss.address)/v1/requests"])
            #expect(big.stdout == "000", "a header of \(header.utf8.count) bytes: \(big.stdout)")
        }
        #expect(Date().timeIntervalSince(started) < 12)
        let body = try setup.post([UInt8](repeating: UInt8(ascii: "a"), count: 81 * 1024))
        #expect(body.status == 413 && body.answer.contains("at most 80 KiB"), "\(body)")
        #expect(try setup.airboss.headSequence == head)
        // The Airboss still serves.
        let listed = try setup.airboss.pilot("list", "host", "macs", "host=frontend-0-0-0", "key=\(setup.owner.path)", "status=no")
        #expect(listed.status == 0, "\(listed.stderr)")
    }
}

/// A TCP connection to a loopback port that sends nothing.
private final class LoopbackSocket {
    let fd: Int32

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw TestFailure("cannot connect to port \(port): \(String(cString: strerror(errno)))") }
    }

    deinit { close(fd) }

    /// Whether the peer closes the connection within `seconds`, sending nothing first.
    func readsEndOfStream(within seconds: Int) -> Bool {
        var timeout = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var byte: UInt8 = 0
        return recv(fd, &byte, 1, 0) == 0
    }
}
