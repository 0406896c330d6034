import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import NIOCore
import NIOHTTPTypes

extension SluiceAPI {
    /// HTTP/1 with `GET /v1/check` answered in the channel pipeline (`CheckChannelHandler`);
    /// every other request goes on to the router.
    public var server: HTTPServerBuilder {
        let auth = AuthMiddleware(authenticator: authenticator, routes: routes)
        return .http1(configuration: .init(additionalChannelHandlers: [CheckChannelHandler(api: self, auth: auth)]))
    }
}

/// Answers `GET /v1/check` on the connection's event loop, before the request reaches
/// Hummingbird: the router's path costs a task hop, an async stream and the middleware chain,
/// several times what the check itself costs. Same answer, auth and metrics as the route, which
/// stays for requests this handler passes on. One per connection; event-loop confined.
final class CheckChannelHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    let api: SluiceAPI
    let auth: AuthMiddleware
    /// Requests passed on whose response has not ended: while there are any, a check is passed
    /// on too, so that pipelined requests are answered in order.
    private var passedOn = 0
    /// Answering here: the request's remaining parts are dropped.
    private var answering = false
    private var closeAfterAnswer = false
    private var unflushed = false
    private var date = HTTPDate()
    /// The token last accepted on this connection: a gateway sends the same one with every
    /// check, and hashing it again costs about as much as the check. Tokens are fixed at start.
    private var acceptedToken: String?

    init(api: SluiceAPI, auth: AuthMiddleware) {
        self.api = api
        self.auth = auth
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
            write(answer(head.headerFields), context: context)
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

    /// The check behind the auth middleware's rule for it, as the router answers it.
    private func answer(_ headers: HTTPFields) -> SluiceAPI.CheckAnswer {
        let token = headers[.sluiceToken]
        if token == nil || token != acceptedToken {
            do {
                _ = try auth.authorize(headers, method: .get, endpoint: SluiceAPI.checkPath)
            } catch {
                return SluiceAPI.CheckAnswer(error)
            }
            acceptedToken = token
        }
        return api.check(headers)
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
