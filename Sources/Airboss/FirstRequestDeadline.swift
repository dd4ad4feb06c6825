import HummingbirdCore
import Logging
import NIOCore

/// Closes a connection whose first request head has not arrived whole within `timeout`, or
/// runs past `limits` (its size, a line's length, the number of lines): a client that
/// connects and sends nothing (no TLS handshake, or a handshake and no request) or trickles a
/// head holds nothing past the limit. Once the
/// first head is in, the HTTP layer's own idle timeout takes over, and a console's WebSocket
/// keeps the relay's limits (``ConsoleRelay``).
///
/// Hummingbird's WebSocket-upgradable channel starts its idle timer only after the first
/// request head, and does not close a connection whose head its decoder refuses; so this
/// wraps it, inside TLS, where the bytes it reads are the decrypted request.
struct FirstRequestDeadline<Base: ServerChildChannel>: ServerChildChannel {
    typealias Value = Base.Value

    let base: Base
    let timeout: TimeAmount
    let limits: HTTP1Channel.Configuration.DecoderConfiguration

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(Deadline(timeout: timeout, limits: limits))
        }.flatMap {
            base.setup(channel: channel, logger: logger)
        }
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }

    private final class Deadline: ChannelInboundHandler, RemovableChannelHandler {
        typealias InboundIn = ByteBuffer
        private let timeout: TimeAmount
        private let limits: HTTP1Channel.Configuration.DecoderConfiguration
        private var expiry: Scheduled<Void>?
        private var size = 0
        private var lines = 0
        private var line = 0
        /// The byte before, to find each CR LF across reads.
        private var previous: UInt8 = 0

        init(timeout: TimeAmount, limits: HTTP1Channel.Configuration.DecoderConfiguration) {
            self.timeout = timeout
            self.limits = limits
        }

        func handlerAdded(context: ChannelHandlerContext) {
            let channel = context.channel
            expiry = context.eventLoop.scheduleTask(in: timeout) { channel.close(promise: nil) }
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var ended = false
            for byte in unwrapInboundIn(data).readableBytesView where !ended {
                size += 1
                if byte == 10, previous == 13 {
                    // A line ends (its length counted its CR); an empty one ends the head.
                    ended = line == 1
                    lines += 1
                    line = 0
                } else {
                    line += 1
                }
                previous = byte
                guard size <= limits.maxHeaderListSize + limits.maxHeaderFieldSize, line <= limits.maxHeaderFieldSize,
                      lines <= limits.maxHeaderFieldCount + 1
                else {
                    context.close(promise: nil)
                    return
                }
            }
            context.fireChannelRead(data)
            if ended {
                expiry?.cancel()
                context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
            }
        }

        func handlerRemoved(context: ChannelHandlerContext) {
            expiry?.cancel()
        }
    }
}
