import Hummingbird
import HummingbirdCore
import Logging
import NIOCore

/// Hummingbird's HTTP/1.1 channel, reading up to 256 KiB per socket read instead of NIO's
/// default 64 KiB. A save carries a whole chapter (130 KiB for 2,000 lines): read in one
/// or two pieces, it goes through the HTTP decoder and the request's body stream once or
/// twice instead of three times or more (measured with Scripts/bench-sync).
struct BulkReadHTTP1Channel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value
    let inner: HTTP1Channel

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.setOption(ChannelOptions.recvAllocator, value: AdaptiveRecvByteBufferAllocator(minimum: 64, initial: 2048, maximum: 256 << 10))
            .flatMap { self.inner.setup(channel: channel, logger: logger) }
    }

    func handle(value: Value, logger: Logger) async {
        await self.inner.handle(value: value, logger: logger)
    }
}

extension HTTPServerBuilder {
    static var bulkReadHTTP1: HTTPServerBuilder {
        .init { responder in BulkReadHTTP1Channel(inner: HTTP1Channel(responder: responder)) }
    }
}
