import Foundation
import Hummingbird
import Logging
import SluiceCore
import SluiceTestSupport
import Testing

@testable import SluiceServer

#if canImport(Glibc)
    import Glibc
#endif

/// `GET /v1/check` is answered in the channel pipeline: from the raw bytes (`FrontCheckHandler`)
/// while a connection has carried only checks, after the HTTP/1 decoder (`CheckChannelHandler`)
/// when no other request on it is still with the router, else by the router. A check pipelined
/// behind another request therefore takes the router's way, which lets these tests hold the
/// answers against each other on a real server.
@Suite struct CheckPipelineTests {
    static var tokens: [String: Any] {
        [
            "auth": [
                "tokens": [
                    ["name": "edge", "role": "gateway", "sha256": Digest.sha256Hex("gateway-secret")],
                    ["name": "dash", "role": "reader", "sha256": Digest.sha256Hex("reader-secret")],
                ]
            ]
        ]
    }

    func makeCheckAPI() throws -> SluiceAPI {
        let api = try makeAPI(try Configuration(tree: Self.tokens))
        let decision = Decision(
            id: 1, account: "acct-b", kind: .block, actor: "ops", reason: "abuse", createdAt: Date(), expiresAt: nil)
        api.decisions.install([decision], head: 1)
        return api
    }

    /// Runs a live server on a free port for `body`.
    func withServer(_ api: SluiceAPI, _ body: @Sendable (Int) async throws -> Void) async throws {
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: api.buildRouter(), server: api.server,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { continuation.yield($0.localAddress?.port ?? 0) }, logger: Logger(label: "test"))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.run() }
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next())
            try await body(port)
            group.cancelAll()
        }
    }

    /// Writes `requests` at once on one connection and reads until the server closes it. The
    /// blocking socket calls run on a thread of their own, not on one the server's tasks need.
    static func exchange(_ port: Int, _ requests: String) async throws -> String {
        try await exchange(port, pieces: [requests], pause: 0)
    }

    /// Writes each of `pieces` on its own, `pause` microseconds apart, then (if `halfClose`) shuts
    /// down its side, and reads until the server closes the connection.
    static func exchange(_ port: Int, pieces: [String], pause: UInt32, halfClose: Bool = false) async throws
        -> String
    {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(
                    with: Result { try blockingExchange(port, pieces, pause: pause, halfClose: halfClose) })
            }.start()
        }
    }

    /// Every byte of `requests` in a write of its own, so that the server reads the heads in pieces.
    static func byteByByte(_ port: Int, _ requests: String) async throws -> String {
        try await exchange(port, pieces: requests.utf8.map { String(decoding: [$0], as: UTF8.self) }, pause: 500)
    }

    struct SocketError: Error {}

    static func blockingExchange(_ port: Int, _ pieces: [String], pause: UInt32, halfClose: Bool) throws -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var timeout = timeval(tv_sec: Int(patience), tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        // Small writes leave at once, each in a segment of its own.
        var noDelay: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &noDelay, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw SocketError() }
        for (index, piece) in pieces.enumerated() {
            if index > 0 && pause > 0 { usleep(pause) }
            let bytes = Array(piece.utf8)
            guard write(fd, bytes, bytes.count) == bytes.count else { throw SocketError() }
        }
        if halfClose { shutdown(fd, Int32(SHUT_WR)) }
        var answer: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = read(fd, &buffer, buffer.count)
            if n <= 0 { break }
            answer += buffer[0..<n]
        }
        return String(decoding: answer, as: UTF8.self)
    }

    /// The answers in `text`, each without its `Date` line (the one part that may differ).
    static func answers(_ text: String) -> [String] {
        text.components(separatedBy: "HTTP/1.1 ").dropFirst().map { answer in
            answer.components(separatedBy: "\r\n").filter { !$0.lowercased().hasPrefix("date:") }
                .joined(separator: "\n")
        }
    }

    static func get(_ path: String, _ headers: [String] = [], close: Bool = false) -> String {
        "GET \(path) HTTP/1.1\r\nHost: t\r\n"
            + (headers + (close ? ["Connection: close"] : [])).map { $0 + "\r\n" }
            .joined() + "\r\n"
    }

    static let blocked = ["X-Sluice-Token: gateway-secret", "X-Sluice-Account: acct-b"]
    static let allowed = ["X-Sluice-Token: gateway-secret", "X-Sluice-Account: acct-a"]

    /// The router's answer to `request`: behind another request on the same connection, it takes
    /// the router's way. A request after it closes the connection if `request` does not.
    static func routerAnswer(_ port: Int, _ request: String) async throws -> String? {
        let answers = Self.answers(try await exchange(port, get("/healthz") + request + get("/healthz", close: true)))
        return answers.count >= 2 ? answers[1] : nil
    }

    /// The router's answer to each of `requests`, each asked on a connection of its own.
    static func routerAnswers(_ port: Int, _ requests: [String]) async throws -> [String?] {
        var answers: [String?] = []
        for request in requests { answers.append(try await routerAnswer(port, request)) }
        return answers
    }

    @Test func theCheckIsAnsweredAlikeInThePipelineAndByTheRouter() async throws {
        let cases: [([String], String)] = [
            ([], "401 Unauthorized"),
            (["X-Sluice-Token: wrong", "X-Sluice-Account: acct-b"], "401 Unauthorized"),
            (["X-Sluice-Token:", "X-Sluice-Account: acct-b"], "401 Unauthorized"),
            (["Authorization: Bearer gateway-secret", "X-Sluice-Account: acct-b"], "401 Unauthorized"),
            (["X-Sluice-Token: reader-secret", "X-Sluice-Account: acct-b"], "403 Forbidden"),
            (["X-Sluice-Token: gateway-secret", "X-Sluice-Account: acct-b"], "403 Forbidden"),
            (["X-Sluice-Token: gateway-secret", "X-Sluice-Account: acct-a"], "204 No Content"),
            (["X-Sluice-Token: gateway-secret"], "204 No Content"),
            (["X-Sluice-Token: gateway-secret", "Authorization: Bearer sk-unknown"], "204 No Content"),
            (["X-Sluice-Token: \t gateway-secret  ", "X-Sluice-Account:acct-b\t"], "403 Forbidden"),
            (["X-Sluice-Token: gateway-secret", "X-Sluice-Account: acct-a", "X-Sluice-Account: acct-b"], "204"),
            (["X-Sluice-Token: gateway-secret", "X-Sluice-Account: \u{e4}cct"], "204 No Content"),
        ]
        try await withServer(try makeCheckAPI()) { port in
            for (headers, status) in cases {
                let request = Self.get("/v1/check?x=1", headers, close: true)
                // From the raw bytes; after the decoder, once another request is answered; the router.
                let front = Self.answers(try await Self.exchange(port, request))
                let decoded = Self.answers(
                    try await Self.exchange(port, pieces: [Self.get("/healthz"), request], pause: 100_000))
                let routed = try await Self.routerAnswer(port, request)
                #expect(front.count == 1 && decoded.count == 2)
                #expect(front.first?.hasPrefix(status) == true, "\(headers): \(front)")
                #expect(front.first == routed, "\(headers)")
                #expect(decoded.last == routed, "\(headers)")
            }
        }
    }

    @Test func pipelinedChecksAreAnsweredInOrder() async throws {
        let requests = [
            Self.get("/v1/check", Self.blocked), Self.get("/v1/check?account=x", Self.allowed),
            Self.get("/v1/check"), Self.get("/v1/check", Self.allowed),
            Self.get("/v1/check", Self.blocked, close: true),
        ]
        try await withServer(try makeCheckAPI()) { port in
            let answers = Self.answers(try await Self.exchange(port, requests.joined()))
            #expect(answers.map(Optional.some) == (try await Self.routerAnswers(port, requests)))
            #expect(answers.map { String($0.prefix(3)) } == ["403", "204", "401", "204", "403"])
        }
    }

    @Test func headsSplitAcrossReadsAreAnswered() async throws {
        let oddCase = ["x-sluice-token: gateway-secret", "X-SLUICE-ACCOUNT: acct-b"]
        let requests = [
            Self.get("/v1/check", Self.allowed), Self.get("/v1/check", oddCase),
            Self.get("/v1/check?a=b", Self.blocked, close: true),
        ]
        try await withServer(try makeCheckAPI()) { port in
            let answers = Self.answers(try await Self.byteByByte(port, requests.joined()))
            #expect(answers.map(Optional.some) == (try await Self.routerAnswers(port, requests)))
            #expect(answers.map { String($0.prefix(3)) } == ["204", "403", "403"])
        }
    }

    @Test func aCheckThenAnotherRequestAreBothAnsweredInOrder() async throws {
        try await withServer(try makeCheckAPI()) { port in
            for pause: UInt32 in [0, 100_000] {
                let text = try await Self.exchange(
                    port,
                    pieces: [
                        Self.get("/v1/check", Self.blocked), Self.get("/v1/status", ["Authorization: Bearer nope"]),
                        Self.get("/v1/check", Self.allowed), Self.get("/healthz", close: true),
                    ], pause: pause)
                let answers = Self.answers(text)
                #expect(answers.map { String($0.prefix(3)) } == ["403", "401", "204", "200"], "pause \(pause)")
                #expect(answers.first?.contains("account acct-b is blocked: abuse") == true)
                #expect(answers.last?.hasSuffix("ok\n") == true)
            }
        }
    }

    @Test func anotherRequestThenACheckAreBothAnsweredInOrder() async throws {
        try await withServer(try makeCheckAPI()) { port in
            for pause: UInt32 in [0, 100_000] {
                let text = try await Self.exchange(
                    port, pieces: [Self.get("/v1/checks"), Self.get("/v1/check", Self.blocked, close: true)],
                    pause: pause)
                let answers = Self.answers(text)
                let expected = try await Self.routerAnswer(port, Self.get("/v1/check", Self.blocked))
                #expect(answers.map { String($0.prefix(3)) } == ["404", "403"], "pause \(pause)")
                #expect(answers.last == expected)
            }
        }
    }

    @Test func aCheckWithABodyIsReadAsTheDecoderReadsIt() async throws {
        // A body that looks like the start of a request: answered before the body was read, the
        // next request would be read from inside it.
        let head = "GET /v1/check HTTP/1.1\r\nX-Sluice-Token: gateway-secret\r\nX-Sluice-Account: acct-b\r\n"
        let withLength = head + "Content-Length: 5\r\n\r\nGET /"
        let chunked = head + "Transfer-Encoding: chunked\r\n\r\n5\r\nGET /\r\n0\r\n\r\n"
        try await withServer(try makeCheckAPI()) { port in
            let expected = try await Self.routerAnswer(port, Self.get("/v1/check", Self.blocked))
            for request in [withLength, chunked] {
                let answers = Self.answers(try await Self.exchange(port, request + Self.get("/healthz", close: true)))
                #expect(answers.count == 2, "\(request)")
                #expect(answers.first == expected, "\(request)")
                #expect(answers.last?.hasSuffix("ok\n") == true)
            }
            let zeroLength = head + "Content-Length: 0\r\nConnection: close\r\n\r\n"
            #expect(Self.answers(try await Self.exchange(port, zeroLength)) == [expected].compactMap { $0 })
        }
    }

    @Test func anHTTP10CheckIsAnsweredAsBefore() async throws {
        // `Connection: close` for the test's sake: without it neither way closes the connection.
        let request =
            "GET /v1/check HTTP/1.0\r\nX-Sluice-Token: gateway-secret\r\nX-Sluice-Account: acct-b\r\n"
            + "Connection: close\r\n\r\n"
        try await withServer(try makeCheckAPI()) { port in
            let answers = Self.answers(try await Self.exchange(port, request))
            let expected = try await Self.routerAnswer(port, request)
            #expect(answers.map { String($0.prefix(3)) } == ["403"])
            #expect(answers.first == expected)
        }
    }

    @Test func connectionCloseEndsTheConnectionAfterTheAnswer() async throws {
        let oddCase = ["x-sluice-token: gateway-secret", "x-sluice-account: acct-b", "connection: close"]
        try await withServer(try makeCheckAPI()) { port in
            let expected = try await Self.routerAnswer(port, Self.get("/v1/check", Self.blocked))
            for request in [Self.get("/v1/check", Self.blocked, close: true), Self.get("/v1/check", oddCase)] {
                // The request after it is never answered: the server closes once the check is.
                let answers = Self.answers(
                    try await Self.exchange(port, Self.get("/v1/check", Self.allowed) + request + Self.get("/healthz")))
                #expect(answers.count == 2)
                #expect(answers.last == expected)
            }
        }
    }

    @Test func theEndOfInputEndsTheConnectionAsBefore() async throws {
        try await withServer(try makeCheckAPI()) { port in
            let check = Self.get("/v1/check", Self.allowed)
            let whole = Self.answers(try await Self.exchange(port, pieces: [check], pause: 0, halfClose: true))
            #expect(whole.map { String($0.prefix(3)) } == ["204"])
            // The decoder refuses the head cut short, as it did before it saw only what checks left.
            let cut = Self.answers(
                try await Self.exchange(
                    port, pieces: [check + "GET /v1/check HTTP/1.1\r\nX-Sl"], pause: 0, halfClose: true))
            #expect(cut.map { String($0.prefix(3)) } == ["204", "400"])
        }
    }

    @Test func malformedHeadsAreRefusedAsBefore() async throws {
        let heads = [
            "GET /v1/check HTTP/1.1\nX-Sluice-Token: gateway-secret\n\n",
            "GET /v1/check HTTP/1.1\r\nX-Sluice-Token: gateway-secret\r\n folded\r\n\r\n",
            "GET /v1/check?a=\u{7f} HTTP/1.1\r\n\r\n",
            "GET /v1/check HTTP/1.1\r\nX-Sluice-Account: a\u{1}b\r\n\r\n",
        ]
        try await withServer(try makeCheckAPI()) { port in
            for head in heads {
                let answers = Self.answers(try await Self.exchange(port, Self.get("/v1/check", Self.allowed) + head))
                #expect(answers.map { String($0.prefix(3)) } == ["204", "400"], "\(head.debugDescription)")
            }
        }
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
        let gateway = ["X-Sluice-Token: gateway-secret", "X-Sluice-Account: acct-b"]
        try await withServer(try makeCheckAPI()) { port in
            let text = try await Self.exchange(
                port,
                Self.get("/v1/check", gateway) + Self.get("/healthz") + Self.get("/v1/check", gateway)
                    + Self.get("/healthz", close: true))
            let answers = Self.answers(text)
            #expect(answers.count == 4)
            #expect(answers.map { $0.hasPrefix("403") } == [true, false, true, false])
            #expect(answers.map { $0.hasSuffix("ok\n") } == [false, true, false, true])
            #expect(answers[0].contains("account acct-b is blocked: abuse"))
        }
    }

    @Test func onlyTheCheckPathItselfIsTakenInThePipeline() {
        #expect(CheckChannelHandler.isCheck("/v1/check"))
        #expect(CheckChannelHandler.isCheck("/v1/check?account=a"))
        #expect(!CheckChannelHandler.isCheck("/v1/checks"))
        #expect(!CheckChannelHandler.isCheck("/v1/check/"))
        #expect(!CheckChannelHandler.isCheck("/v1/blocks"))
    }

    @Test func theDateHeaderIsAnIMFFixdate() {
        #expect(HTTPDate.format(784_111_777) == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(HTTPDate.format(1_795_630_000) == "Wed, 25 Nov 2026 18:06:40 GMT")
    }
}
