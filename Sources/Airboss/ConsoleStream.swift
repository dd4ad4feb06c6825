import Executors
import Foundation
import NIOCore
import NIOPosix

/// A byte stream to a VM's VNC socket: the socket itself when its libvirtd is this machine's,
/// else `ssh <container> socat STDIO UNIX-CONNECT:<socket>`, the ssh process ending with the
/// stream.
enum ConsoleStream {
    static func open(_ endpoint: ConsoleEndpoint) async throws -> NIOAsyncChannel<ByteBuffer, ByteBuffer> {
        switch endpoint.route {
        case .local:
            // QEMU listens with a backlog of one: viewers connecting at the same moment find it
            // full (EAGAIN on a UNIX socket) and try again a moment later.
            var attempt = 1
            while true {
                do {
                    return try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                        .connectTimeout(.seconds(5))
                        // A framebuffer update is read in few large reads, each one WebSocket frame.
                        .channelOption(.recvAllocator, value: AdaptiveRecvByteBufferAllocator(minimum: 1024, initial: 64 << 10, maximum: 1 << 20))
                        .connect(unixDomainSocketPath: endpoint.socket) { channel in
                            channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
                        }
                } catch let error as IOError where error.errnoCode == EAGAIN && attempt < 100 {
                    attempt += 1
                    try await Task.sleep(for: .milliseconds(20))
                }
            }
        case .ssh(let destination):
            let process = Process()
            process.executableURL = URL(fileURLWithPath: destination.command.hasPrefix("/") ? destination.command : "/usr/bin/\(destination.command)")
            process.arguments = destination.arguments(connectingTo: endpoint.socket)
            let toSSH = Pipe(), fromSSH = Pipe()
            process.standardInput = toSSH
            process.standardOutput = fromSSH
            process.standardError = FileHandle.nullDevice
            try process.run()
            // The channel owns the two descriptors from here; the process ends when its
            // input closes, and is reaped by Foundation.
            let input = dup(fromSSH.fileHandleForReading.fileDescriptor), output = dup(toSSH.fileHandleForWriting.fileDescriptor)
            try fromSSH.fileHandleForReading.close()
            try toSSH.fileHandleForWriting.close()
            return try await NIOPipeBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .takingOwnershipOfDescriptors(input: input, output: output) { channel in
                    channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
                }
        }
    }
}
