import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// One TLS connection to the Airboss carrying HTTP/1.1 requests one after another, checked
/// by the caller's own rule for the server's certificate (no CA store, no host name: the
/// Airboss is pinned by its frontend key, see ``AirbossClient``).
///
/// Every read is bounded: the connection attempt, the whole exchange (the connection is
/// closed at its deadline) and each answer's size.
struct HTTPSConnection {
    struct Answer: Sendable {
        let status: Int
        let body: [UInt8]
    }

    /// What the certificate check saw: the server's certificate chain, leaf first, as DER.
    final class PeerChain: @unchecked Sendable {
        private(set) var der: [[UInt8]] = []
        func keep(_ chain: [[UInt8]]) { der = chain }
    }

    let host: String
    let port: Int
    /// Seconds for the whole exchange.
    let deadline: Int64
    static let connectTimeout: TimeAmount = .seconds(10)
    /// The largest answer read: a receipt carries a whole record (up to 8 MiB of decision).
    static let answerLimit = 16 << 20

    /// Connects, lets `accept` judge the certificate chain (leaf first), and runs `body` with
    /// a function that sends one request and returns its answer.
    func exchange<T: Sendable>(accept: @escaping @Sendable ([[UInt8]]) -> Bool,
                               _ body: @Sendable (_ send: (HTTPMethod, String, [UInt8]?) async throws -> Answer) async throws -> T) async throws -> T
    {
        var tls = TLSConfiguration.makeClientConfiguration()
        // The callback decides; NIOSSL adds no host-name check and loads no CA store.
        tls.certificateVerification = .noHostnameVerification
        tls.trustRoots = .certificates([])
        tls.minimumTLSVersion = .tlsv13
        let context = try NIOSSLContext(configuration: tls)
        let host = self.host
        let deadline = self.deadline
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(Self.connectTimeout)
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let handler = try NIOSSLClientHandler(context: context, serverHostname: nil) { certificates, promise in
                        let chain = (try? certificates.map { try $0.toDERBytes() }) ?? []
                        promise.succeed(!chain.isEmpty && accept(chain) ? .certificateVerified : .failed)
                    }
                    let pipeline = channel.pipeline.syncOperations
                    try pipeline.addHandler(handler)
                    try pipeline.addHandler(HTTPRequestEncoder())
                    try pipeline.addHandler(ByteToMessageHandler(HTTPResponseDecoder(leftOverBytesStrategy: .forwardBytes)))
                    channel.eventLoop.scheduleTask(in: .seconds(deadline)) { channel.close(promise: nil) }
                    return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            var responses = inbound.makeAsyncIterator()
            return try await body { method, path, payload in
                var headers = HTTPHeaders()
                headers.add(name: "Host", value: host)
                headers.add(name: "Content-Length", value: String(payload?.count ?? 0))
                if payload != nil { headers.add(name: "Content-Type", value: "application/json") }
                try await outbound.write(.head(HTTPRequestHead(version: .http1_1, method: method, uri: path, headers: headers)))
                if let payload { try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: payload)))) }
                try await outbound.write(.end(nil))
                var status: Int?
                var collected: [UInt8] = []
                while let part = try await responses.next() {
                    switch part {
                    case .head(let head):
                        status = Int(head.status.code)
                    case .body(let chunk):
                        guard collected.count + chunk.readableBytes <= Self.answerLimit else {
                            throw AirbossClientError("the Airboss's answer is larger than \(Self.answerLimit >> 20) MiB")
                        }
                        collected += chunk.readableBytesView
                    case .end:
                        guard let status else { throw AirbossClientError("the Airboss answered without a status") }
                        return Answer(status: status, body: collected)
                    }
                }
                throw AirbossClientError("the Airboss closed the connection before answering")
            }
        }
    }
}
