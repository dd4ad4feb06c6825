import Foundation
import NIOCore
import NIOPosix
import NIOWebSocket
import RocksGrammar
import Signing

/// `open host console`, the owner's side: for each host, a port on the first free
/// `127.0.0.1:5901…5999` where any VNC viewer connects. Each viewer connection is relayed
/// through its own WebSocket to the Airboss, under the host's grant while it lasts and a fresh
/// signed request after that; so a viewer that reconnects after the VM was powered off and on
/// reaches its new VNC server with nothing asked of the owner.
package enum ConsoleListener {
    package static let ports = 5901...5999

    /// Asks for each host's first grant (a denial ends it here), binds its port, says where,
    /// and relays viewers until the process is stopped.
    package static func serve(hosts: [String], client: AirbossClient, key: PrivateKey, say: @escaping @Sendable (String) -> Void,
                              opened: @escaping @Sendable (_ host: String, _ port: Int) -> Void = { _, _ in }) throws -> Never
    {
        _ = try AirbossClient.blocking {
            try await withThrowingTaskGroup(of: Void.self) { group in
                var next = ports.lowerBound
                for host in hosts {
                    let first = try await client.consoleTicket(host: host, key: key)
                    let tickets = Tickets(host: host, client: client, key: key, first: first)
                    let (server, port) = try await bind(from: next)
                    next = port + 1
                    say("\(host): console on 127.0.0.1:\(port) (vncviewer 127.0.0.1::\(port)); grant \(first.grant), receipt in \(first.receiptPath)")
                    opened(host, port)
                    group.addTask { try await accept(server, tickets: tickets, client: client, say: say) }
                }
                try await group.waitForAll()
            }
        }
        exit(0)
    }

    /// Starts TigerVNC's `vncviewer` on `port` when it is installed; whether it was.
    @discardableResult
    package static func startViewer(port: Int) -> Bool {
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":")
            .map { "\($0)/vncviewer" }.first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let path else { return false }
        let viewer = Process()
        viewer.executableURL = URL(fileURLWithPath: path)
        viewer.arguments = ["127.0.0.1::\(port)"]
        viewer.standardInput = FileHandle.nullDevice
        return (try? viewer.run()) != nil
    }

    typealias Viewer = NIOAsyncChannel<ByteBuffer, ByteBuffer>
    typealias Server = NIOAsyncChannel<Viewer, Never>

    /// The first port from `first` on that is free.
    private static func bind(from first: Int) async throws -> (Server, Int) {
        for port in first...ports.upperBound {
            do {
                let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                    .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                    .bind(host: "127.0.0.1", port: port) { channel in
                        channel.eventLoop.makeCompletedFuture { try Viewer(wrappingChannelSynchronously: channel) }
                    }
                return (server, port)
            } catch let error as IOError where error.errnoCode == EADDRINUSE {
                continue
            }
        }
        throw AirbossClientError("no free port in 127.0.0.1:\(ports.lowerBound)…\(ports.upperBound)")
    }

    private static func accept(_ server: Server, tickets: Tickets, client: AirbossClient, say: @escaping @Sendable (String) -> Void) async throws {
        try await server.executeThenClose { viewers in
            try await withThrowingDiscardingTaskGroup { group in
                for try await viewer in viewers {
                    group.addTask {
                        do {
                            let socket: ConsoleWebSocket.Channel
                            do {
                                socket = try await ConsoleWebSocket.open(client: client, ticket: try await tickets.usable())
                            } catch {
                                // Refused: the grant may have ended in between. Once more, under a fresh one.
                                socket = try await ConsoleWebSocket.open(client: client, ticket: try await tickets.renewed())
                            }
                            try await relay(viewer, through: socket)
                        } catch {
                            say("\(tickets.host): \(error)")
                            try? await viewer.channel.close()
                        }
                    }
                }
            }
        }
    }

    /// Bytes from the viewer go out in masked binary frames; binary frames coming back go to
    /// the viewer. Either side's end ends both.
    private static func relay(_ viewer: Viewer, through socket: ConsoleWebSocket.Channel) async throws {
        try await viewer.executeThenClose { fromViewer, toViewer in
            try await socket.executeThenClose { fromAirboss, toAirboss in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for try await buffer in fromViewer {
                            try await toAirboss.write(WebSocketFrame(fin: true, opcode: .binary, maskKey: .random(), data: buffer))
                        }
                        try? await toAirboss.write(WebSocketFrame(fin: true, opcode: .connectionClose, maskKey: .random(), data: ByteBuffer()))
                    }
                    group.addTask {
                        for try await frame in fromAirboss {
                            switch frame.opcode {
                            case .binary, .continuation: try await toViewer.write(frame.unmaskedData)
                            case .ping: try await toAirboss.write(WebSocketFrame(fin: true, opcode: .pong, maskKey: .random(), data: frame.unmaskedData))
                            case .connectionClose: return
                            default: continue
                            }
                        }
                    }
                    defer { group.cancelAll() }
                    try await group.next()
                }
            }
        }
    }
}

/// A host's grant, renewed by a fresh signed request once it no longer admits a connection.
private actor Tickets {
    let host: String
    private let client: AirbossClient
    private let key: PrivateKey
    private var current: ConsoleTicket

    init(host: String, client: AirbossClient, key: PrivateKey, first: ConsoleTicket) {
        self.host = host
        self.client = client
        self.key = key
        self.current = first
    }

    func usable() async throws -> ConsoleTicket {
        current.isUsable() ? current : try await renewed()
    }

    func renewed() async throws -> ConsoleTicket {
        current = try await client.consoleTicket(host: host, key: key)
        return current
    }
}
