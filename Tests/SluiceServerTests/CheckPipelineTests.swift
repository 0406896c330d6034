import Foundation
import Hummingbird
import Logging
import SluiceCore
import Testing

@testable import SluiceServer

#if canImport(Glibc)
    import Glibc
#endif

/// `GET /v1/check` is answered in the channel pipeline unless a request before it on the same
/// connection is still with the router; a pipelined check therefore takes the router's way, which
/// lets these tests hold the two answers against each other on a real server.
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
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try blockingExchange(port, requests) }) }.start()
        }
    }

    struct SocketError: Error {}

    static func blockingExchange(_ port: Int, _ requests: String) throws -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        let bytes = Array(requests.utf8)
        guard connected == 0, write(fd, bytes, bytes.count) == bytes.count else { throw SocketError() }
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

    @Test func theCheckIsAnsweredAlikeInThePipelineAndByTheRouter() async throws {
        let cases: [([String], String)] = [
            ([], "401 Unauthorized"),
            (["X-Sluice-Token: wrong", "X-Sluice-Account: acct-b"], "401 Unauthorized"),
            (["Authorization: Bearer gateway-secret", "X-Sluice-Account: acct-b"], "401 Unauthorized"),
            (["X-Sluice-Token: reader-secret", "X-Sluice-Account: acct-b"], "403 Forbidden"),
            (["X-Sluice-Token: gateway-secret", "X-Sluice-Account: acct-b"], "403 Forbidden"),
            (["X-Sluice-Token: gateway-secret", "X-Sluice-Account: acct-a"], "204 No Content"),
            (["X-Sluice-Token: gateway-secret"], "204 No Content"),
        ]
        try await withServer(try makeCheckAPI()) { port in
            for (headers, status) in cases {
                let alone = Self.answers(try await Self.exchange(port, Self.get("/v1/check?x=1", headers, close: true)))
                let behind = Self.answers(
                    try await Self.exchange(
                        port, Self.get("/healthz") + Self.get("/v1/check?x=1", headers, close: true)))
                #expect(alone.count == 1 && behind.count == 2)
                #expect(alone.first?.hasPrefix(status) == true, "\(headers): \(alone)")
                #expect(alone.first == behind.last, "\(headers)")
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
