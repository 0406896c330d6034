import Foundation
import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Answers `GET /v1/check` on the connection's event loop, after NIO's HTTP/1 decoder but before
/// the request reaches Hummingbird: the router's path costs a task hop, an async stream and the
/// middleware chain, several times what the check itself costs. Same answer, auth and metrics as
/// the route, which stays for requests this handler passes on. One per connection; event-loop
/// confined.
///
/// `FrontCheckHandler`, before the decoder, answers most checks for less; this one answers those it
/// hands on: checks on a connection that first carried another request (once that is answered),
/// HTTP/1.0 checks, checks with a body or an unusual head.
final class CheckChannelHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// Requests passed on whose response has not ended: while there are any, a check is passed
    /// on too, so that pipelined requests are answered in order.
    private var passedOn = 0
    /// Answering here: the request's remaining parts are dropped.
    private var answering = false
    private var closeAfterAnswer = false
    private var unflushed = false
    private var date = HTTPDate()
    private var check: PipelineCheck

    init(api: SluiceAPI, auth: AuthMiddleware) {
        check = PipelineCheck(api: api, auth: auth)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        switch part {
        case .head(let head):
            guard passedOn == 0, head.method == .get, let path = head.path, Self.isCheck(path) else {
                passedOn += 1
                break
            }
            answering = true
            // As Hummingbird does: `Connection: close` ends the connection after the answer.
            closeAfterAnswer = head.headerFields[.connection] == "close"
            write(check.answer(head.headerFields), context: context)
            return
        case .body:
            if answering { return }
        case .end:
            guard answering else { break }
            answering = false
            if closeAfterAnswer {
                unflushed = false
                let channel = context.channel
                context.flush()
                // After the answer is on the wire, as Hummingbird's half-close would.
                channel.close(mode: .output, promise: nil)
            }
            return
        }
        context.fireChannelRead(data)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if unflushed {
            unflushed = false
            context.flush()
        }
        context.fireChannelReadComplete()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { passedOn = max(passedOn - 1, 0) }
        context.write(data, promise: promise)
    }

    /// Writes as Hummingbird's `Application` does: `Content-Length` from the body, then `Date`.
    private func write(_ answer: SluiceAPI.CheckAnswer, context: ChannelHandlerContext) {
        var headers = answer.headers
        headers[.contentLength] = String(answer.body?.readableBytes ?? 0)
        headers[.date] = date.now
        context.write(wrapOutboundOut(.head(HTTPResponse(status: answer.status, headerFields: headers))), promise: nil)
        if let body = answer.body { context.write(wrapOutboundOut(.body(body)), promise: nil) }
        context.write(wrapOutboundOut(.end(nil)), promise: nil)
        unflushed = true
    }

    /// `/v1/check`, with or without a query; any other spelling goes to the router.
    static func isCheck(_ path: String) -> Bool {
        path == SluiceAPI.checkPath || path.utf8.starts(with: checkWithQuery)
    }

    static let checkWithQuery = (SluiceAPI.checkPath + "?").utf8
}

/// The check as the pipeline answers it: the auth middleware's rule for the route, then
/// `SluiceAPI.check`, as the router answers it. One per connection.
struct PipelineCheck {
    let api: SluiceAPI
    let auth: AuthMiddleware
    /// The token last accepted on this connection: a gateway sends the same one with every
    /// check, and hashing it again costs about as much as the check. Tokens are fixed at start.
    private var acceptedToken: String?

    init(api: SluiceAPI, auth: AuthMiddleware) {
        self.api = api
        self.auth = auth
    }

    mutating func answer(_ headers: HTTPFields) -> SluiceAPI.CheckAnswer {
        answer(token: headers[.sluiceToken], account: headers[.sluiceAccount], authorization: headers[.authorization])
    }

    /// The answer from the values of the fields the check reads, as `HTTPFields` gives them.
    mutating func answer(token: String?, account: String?, authorization: String?) -> SluiceAPI.CheckAnswer {
        if token == nil || token != acceptedToken {
            // On the check's path, `authorize` reads `X-Sluice-Token` alone.
            var headers = HTTPFields()
            headers[.sluiceToken] = token
            do {
                _ = try auth.authorize(headers, method: .get, endpoint: SluiceAPI.checkPath)
            } catch {
                return SluiceAPI.CheckAnswer(error)
            }
            acceptedToken = token
        }
        return api.check(account: account, authorization: authorization)
    }
}

/// The `Date` header (RFC 9110 IMF-fixdate), formatted once a second.
struct HTTPDate {
    private var second = 0
    private var text = ""

    static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    var now: String {
        mutating get {
            let seconds = time(nil)
            if seconds != second {
                second = seconds
                text = Self.format(seconds)
            }
            return text
        }
    }

    static func format(_ seconds: Int) -> String {
        var t = seconds
        var parts = tm()
        gmtime_r(&t, &parts)
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let date = "\(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(1900 + parts.tm_year)"
        let time = "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))"
        return "\(days[Int(parts.tm_wday)]), \(date) \(time) GMT"
    }
}
