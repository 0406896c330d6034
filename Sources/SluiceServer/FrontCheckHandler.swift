import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore

extension SluiceAPI {
    /// HTTP/1 with `GET /v1/check` answered in the channel pipeline: from the raw bytes
    /// (`FrontCheckHandler`) while a connection carries only checks, else after the HTTP/1 decoder
    /// (`CheckChannelHandler`). Every other request goes on to the router.
    ///
    /// No `idleTimeout`: Hummingbird's handler for it never sees the checks answered in front, and
    /// would close a busy gateway connection as idle.
    public var server: HTTPServerBuilder {
        let api = self
        let auth = AuthMiddleware(authenticator: authenticator, routes: routes)
        return HTTPServerBuilder { responder in
            CheckingHTTP1Channel(
                http1: HTTP1Channel(
                    responder: responder,
                    configuration: .init(additionalChannelHandlers: [CheckChannelHandler(api: api, auth: auth)])),
                api: api, auth: auth)
        }
    }
}

/// Hummingbird's HTTP/1 child channel with `FrontCheckHandler` at the front of its pipeline, before
/// the HTTP/1 decoder.
struct CheckingHTTP1Channel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value

    let http1: HTTP1Channel
    let api: SluiceAPI
    let auth: AuthMiddleware

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        do {
            try channel.pipeline.syncOperations.addHandler(FrontCheckHandler(api: api, auth: auth))
        } catch {
            return channel.eventLoop.makeFailedFuture(error)
        }
        return http1.setup(channel: channel, logger: logger)
    }

    func handle(value: Value, logger: Logger) async {
        await http1.handle(value: value, logger: logger)
    }
}

/// Answers `GET /v1/check` from a connection's raw bytes, before NIO's HTTP/1 decoder: the decoder,
/// the conversion to HTTPTypes and back, and the encoder cost most of a check's CPU otherwise.
///
/// Two modes, one way. *Answering*, while nothing has gone downstream: every complete head that
/// `CheckRequestHead` accepts is answered here, its bytes consumed, and its answer written straight
/// to the socket; a partial head waits for more bytes. *Passing*, from the first bytes that are not
/// such a head (another request, a body, HTTP/1.0, anything odd) to the connection's end: every byte
/// not consumed goes downstream unchanged, where the decoder, `CheckChannelHandler` and the router
/// see a connection that starts there. Answers stay in order because every answer written here
/// precedes anything downstream could write. Same answers, auth and metrics as `CheckChannelHandler`
/// and the router (`CheckPipelineTests` compare the three). One per connection; event-loop confined.
final class FrontCheckHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundOut = ByteBuffer

    enum Mode {
        case answering
        case passing
        /// A check asked for `Connection: close`: its answer was the last thing written.
        case closed
    }

    private(set) var mode = Mode.answering
    /// The start of a head not yet complete, while answering.
    private var held: ByteBuffer?
    private var unflushed = false
    private var date = HTTPDate()
    private var check: PipelineCheck

    init(api: SluiceAPI, auth: AuthMiddleware) {
        check = PipelineCheck(api: api, auth: auth)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch mode {
        case .passing: return context.fireChannelRead(data)
        case .closed: return
        case .answering: break
        }
        var buffer = unwrapInboundIn(data)
        if var start = held.take() {
            start.writeBuffer(&buffer)
            buffer = start
        }
        while buffer.readableBytes > 0 {
            switch buffer.withUnsafeReadableBytes({ CheckRequestHead.parse($0) }) {
            case .incomplete:
                held = buffer
                return
            case .other:
                mode = .passing
                return context.fireChannelRead(wrapInboundOut(buffer))
            case .check(let head):
                buffer.moveReaderIndex(forwardBy: head.length)
                answer(head, context: context)
                if mode == .closed { return }
            }
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if unflushed {
            unflushed = false
            context.flush()
        }
        // While answering nothing went downstream: its handlers have no read to complete.
        if mode == .passing { context.fireChannelReadComplete() }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        // The input ended inside a head: the decoder gets it, and answers as it would have.
        if case .inputClosed = event as? ChannelEvent { passHeldBytes(context: context) }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        passHeldBytes(context: context)
        context.fireChannelInactive()
    }

    private func passHeldBytes(context: ChannelHandlerContext) {
        guard mode == .answering, let start = held.take() else { return }
        mode = .passing
        context.fireChannelRead(wrapInboundOut(start))
        context.fireChannelReadComplete()
    }

    private func answer(_ head: CheckRequestHead, context: ChannelHandlerContext) {
        let answer = check.answer(token: head.token, account: head.account, authorization: head.authorization)
        var bytes = context.channel.allocator.buffer(capacity: 256 + (answer.body?.readableBytes ?? 0))
        answer.write(to: &bytes, date: date.now)
        context.write(wrapOutboundOut(bytes), promise: nil)
        // As Hummingbird does: `Connection: close` ends the connection after the answer.
        guard head.connection == "close" else {
            unflushed = true
            return
        }
        mode = .closed
        held = nil
        unflushed = false
        context.flush()
        context.channel.close(mode: .output, promise: nil)
    }
}

extension SluiceAPI.CheckAnswer {
    /// The answer as HTTP/1.1 bytes, as Hummingbird's `Application` and NIO's encoder write it:
    /// the fields, then `Content-Length` (not on a 1xx, 204 or 304) and `Date`.
    func write(to buffer: inout ByteBuffer, date: String) {
        buffer.writeStaticString("HTTP/1.1 ")
        buffer.writeString(String(status.code))
        buffer.writeStaticString(" ")
        buffer.writeString(status.reasonPhrase)
        buffer.writeStaticString("\r\n")
        forEachField { name, value in
            buffer.writeString(name.rawName)
            buffer.writeStaticString(": ")
            // Legalized as `HTTPFields` would: an account from the logs could hold a line break.
            buffer.writeString(HTTPField(name: name, value: value).value)
            buffer.writeStaticString("\r\n")
        }
        let hasBody = !(status.kind == .informational || status.code == 204 || status.code == 304)
        if hasBody {
            buffer.writeStaticString("Content-Length: ")
            buffer.writeString(String(body?.readableBytes ?? 0))
            buffer.writeStaticString("\r\n")
        }
        buffer.writeStaticString("Date: ")
        buffer.writeString(date)
        buffer.writeStaticString("\r\n\r\n")
        if hasBody, let body { buffer.writeImmutableBuffer(body) }
    }
}
