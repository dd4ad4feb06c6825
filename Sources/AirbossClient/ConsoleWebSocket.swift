import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import NIOWebSocket
import Signing

/// The Airboss's console relay for one viewer connection: TLS checked against the pinned
/// frontend key and ledger, then a WebSocket upgrade carrying the grant's token. Binary frames
/// carry the VM's RFB stream.
package enum ConsoleWebSocket {
    package typealias Channel = NIOAsyncChannel<WebSocketFrame, WebSocketFrame>

    private enum Upgrade: Sendable {
        case upgraded(Channel)
        case refused(HTTPResponseStatus)
    }

    /// The largest frame read: VNC framebuffer updates come in the frames the Airboss reads
    /// from the VM's socket, each at most a read's worth.
    static let frameLimit = 1 << 20

    package static func open(client: AirbossClient, ticket: ConsoleTicket) async throws -> Channel {
        guard let pinned = try client.known.entry(for: client.address) else {
            throw AirbossClientError("the Airboss at \(client.address) is not pinned yet")
        }
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.certificateVerification = .noHostnameVerification
        tls.trustRoots = .certificates([])
        tls.minimumTLSVersion = .tlsv13
        let context = try NIOSSLContext(configuration: tls)
        let address = client.address, host = client.host
        let upgrade = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(HTTPSConnection.connectTimeout)
            .connect(host: client.host, port: client.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let verifier = try NIOSSLClientHandler(context: context, serverHostname: nil) { certificates, promise in
                        let chain = (try? certificates.map { try $0.toDERBytes() }) ?? []
                        let trusted = (try? AirbossClient.checkCertificate(chain, frontendKey: pinned.key, ledger: pinned.ledger, address: address)) != nil
                        promise.succeed(trusted ? .certificateVerified : .failed)
                    }
                    try channel.pipeline.syncOperations.addHandler(verifier)
                    let upgrader = NIOTypedWebSocketClientUpgrader<Upgrade>(maxFrameSize: frameLimit) { channel, _ in
                        channel.eventLoop.makeCompletedFuture { .upgraded(try Channel(wrappingChannelSynchronously: channel)) }
                    }
                    var headers = HTTPHeaders()
                    headers.add(name: "Host", value: host)
                    headers.add(name: "Authorization", value: ticket.authorization)
                    headers.add(name: "Content-Length", value: "0")
                    let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: "/v1/console/\(ticket.grant)", headers: headers)
                    let configuration = NIOTypedHTTPClientUpgradeConfiguration<Upgrade>(upgradeRequestHead: head, upgraders: [upgrader]) { channel in
                        channel.eventLoop.makeCompletedFuture { .refused(.badRequest) }
                    }
                    var pipeline = NIOUpgradableHTTPClientPipelineConfiguration(upgradeConfiguration: configuration)
                    // The VM's banner often arrives in the same read as the 101: keep it.
                    pipeline.leftOverBytesStrategy = .forwardBytes
                    return try channel.pipeline.syncOperations.configureUpgradableHTTPClientPipeline(configuration: pipeline)
                }
            }
        switch try await upgrade.get() {
        case .upgraded(let channel): return channel
        case .refused: throw AirbossClientError("the Airboss refused the console of \(ticket.vm) (grant \(ticket.grant))")
        }
    }
}
