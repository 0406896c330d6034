import HummingbirdCore
import Logging
import NIOCore
import NIOEmbedded  // Not a declared dependency: it comes with Hummingbird's (swift-nio-extras, NIO).
import Testing

@testable import SluiceServer

/// `FrontCheckHandler` alone in a channel: what it answers itself, and what it hands downstream
/// (the channel's inbound side here; NIO's HTTP/1 decoder on a server).
@Suite struct FrontCheckHandlerTests {
    static let blocked = "GET /v1/check HTTP/1.1\r\nX-Sluice-Token: gateway-secret\r\nX-Sluice-Account: acct-b\r\n\r\n"
    static let allowed =
        "GET /v1/check?x HTTP/1.1\r\nx-sluice-token: gateway-secret\r\nX-SLUICE-ACCOUNT: acct-a\r\n\r\n"
    static let health = "GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n"

    func makeChannel() throws -> (EmbeddedChannel, FrontCheckHandler) {
        let api = try CheckPipelineTests().makeCheckAPI()
        let handler = FrontCheckHandler(
            api: api, auth: AuthMiddleware(authenticator: api.authenticator, routes: api.routes))
        return (EmbeddedChannel(handler: handler), handler)
    }

    /// Everything the handler wrote, as text.
    static func written(_ channel: EmbeddedChannel) throws -> [String] {
        var answers: [String] = []
        while let buffer = try channel.readOutbound(as: ByteBuffer.self) { answers.append(String(buffer: buffer)) }
        return answers
    }

    /// Everything the handler passed downstream, as text.
    static func passedOn(_ channel: EmbeddedChannel) throws -> String {
        var text = ""
        while let buffer = try channel.readInbound(as: ByteBuffer.self) { text += String(buffer: buffer) }
        return text
    }

    @Test func pipelinedChecksAreAnsweredHereOneBufferEach() throws {
        let (channel, handler) = try makeChannel()
        try channel.writeInbound(ByteBuffer(string: Self.blocked + Self.allowed + Self.blocked))
        let answers = try Self.written(channel)
        #expect(answers.map { String($0.prefix(12)) } == ["HTTP/1.1 403", "HTTP/1.1 204", "HTTP/1.1 403"])
        #expect(answers[0].contains("Content-Length: 73\r\nDate: "))
        #expect(
            answers[0].hasSuffix(
                "\r\n\r\n{\"error\":{\"code\":\"blocked\",\"message\":\"account acct-b is blocked: abuse\"}}"))
        #expect(
            answers[1].hasPrefix(
                "HTTP/1.1 204 No Content\r\nX-Sluice-Account: acct-a\r\nX-Sluice-Decision: allow\r\nDate: "))
        #expect(try Self.passedOn(channel) == "")
        #expect(handler.mode == .answering)
    }

    @Test func aHeadInPiecesIsAnsweredOnceItEnds() throws {
        let (channel, _) = try makeChannel()
        let bytes = Array(Self.allowed.utf8)
        for piece in [bytes[..<3], bytes[3..<40], bytes[40..<(bytes.count - 1)]] {
            try channel.writeInbound(ByteBuffer(bytes: piece))
            #expect(try Self.written(channel).isEmpty)
        }
        try channel.writeInbound(ByteBuffer(bytes: bytes[(bytes.count - 1)...] + Array(Self.blocked.utf8.prefix(9))))
        #expect(try Self.written(channel).map { String($0.prefix(12)) } == ["HTTP/1.1 204"])
        #expect(try Self.passedOn(channel) == "")
    }

    @Test func fromTheFirstOtherRequestEveryByteGoesDownstreamUnchanged() throws {
        let (channel, handler) = try makeChannel()
        try channel.writeInbound(ByteBuffer(string: Self.blocked + Self.health + Self.allowed))
        #expect(try Self.written(channel).map { String($0.prefix(12)) } == ["HTTP/1.1 403"])
        #expect(try Self.passedOn(channel) == Self.health + Self.allowed)
        #expect(handler.mode == .passing)
        // Checks too, for the rest of the connection.
        try channel.writeInbound(ByteBuffer(string: Self.blocked))
        #expect(try Self.written(channel).isEmpty)
        #expect(try Self.passedOn(channel) == Self.blocked)
    }

    @Test func anOtherRequestInPiecesGoesDownstreamWhole() throws {
        let (channel, handler) = try makeChannel()
        try channel.writeInbound(ByteBuffer(string: "GET /v1/ch"))
        try channel.writeInbound(ByteBuffer(string: "ecks HTTP/1.1\r\n\r\n"))
        #expect(try Self.written(channel).isEmpty)
        #expect(try Self.passedOn(channel) == "GET /v1/checks HTTP/1.1\r\n\r\n")
        #expect(handler.mode == .passing)
    }

    @Test func theServersChildChannelPutsTheHandlerBeforeTheHTTPDecoder() async throws {
        let api = try CheckPipelineTests().makeCheckAPI()
        let auth = AuthMiddleware(authenticator: api.authenticator, routes: api.routes)
        let http1 = HTTP1Channel(responder: { _, _, _ in }, configuration: .init())
        let channel = EmbeddedChannel()
        _ = try await CheckingHTTP1Channel(http1: http1, api: api, auth: auth)
            .setup(channel: channel, logger: Logger(label: "test")).get()
        let front = try channel.pipeline.syncOperations.handler(type: FrontCheckHandler.self)
        // Raw bytes reach it, and its answer raw bytes leave.
        try channel.writeInbound(ByteBuffer(string: Self.blocked))
        #expect(try Self.written(channel).map { String($0.prefix(12)) } == ["HTTP/1.1 403"])
        #expect(front.mode == .answering)
        try channel.writeInbound(ByteBuffer(string: Self.health))
        #expect(front.mode == .passing)
        _ = try? channel.finish()
    }

    @Test func anAccountWithALineBreakCannotSplitTheAnswer() {
        // Accounts mapped from API keys come from the logs; `HTTPField` turns the break into spaces.
        var bytes = ByteBuffer()
        SluiceAPI.CheckAnswer(.allow(account: "a\r\nX-Sluice-Decision: block")).write(to: &bytes, date: "D")
        #expect(
            String(buffer: bytes)
                == "HTTP/1.1 204 No Content\r\nX-Sluice-Account: a  X-Sluice-Decision: block\r\n"
                + "X-Sluice-Decision: allow\r\nDate: D\r\n\r\n")
    }

    @Test func aHeadCutShortByTheEndOfInputGoesDownstream() throws {
        let (channel, handler) = try makeChannel()
        try channel.writeInbound(ByteBuffer(string: Self.blocked + "GET /v1/check HTTP/1.1\r\nX-Sl"))
        channel.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        #expect(try Self.written(channel).count == 1)
        #expect(try Self.passedOn(channel) == "GET /v1/check HTTP/1.1\r\nX-Sl")
        #expect(handler.mode == .passing)
    }
}
