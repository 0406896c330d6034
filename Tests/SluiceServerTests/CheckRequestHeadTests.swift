import HTTPTypes
import Testing

@testable import SluiceServer

/// The parser of raw check heads: it accepts what gateways send and leaves everything else to
/// NIO's decoder.
@Suite struct CheckRequestHeadTests {
    static func parse(_ text: String) -> CheckRequestHead.Parsed {
        parse(Array(text.utf8))
    }

    static func parse(_ bytes: [UInt8]) -> CheckRequestHead.Parsed {
        bytes.withUnsafeBytes { CheckRequestHead.parse($0) }
    }

    /// The head's fields, or nil if `text` is not a complete check.
    static func fields(_ text: String) -> CheckRequestHead? {
        guard case .check(var head) = parse(text) else { return nil }
        head.length = 0
        return head
    }

    static let nginx =
        "GET /v1/check HTTP/1.1\r\nHost: sluice\r\nX-Original-URI: /v1/chat/completions\r\n"
        + "Authorization: Bearer sk-live-1\r\nX-Sluice-Token: edge-token\r\n\r\n"

    @Test func aGatewaysHeadIsACheckWithTheFieldsTheCheckReads() {
        let expected = CheckRequestHead(
            token: "edge-token", authorization: "Bearer sk-live-1", length: Self.nginx.utf8.count)
        #expect(Self.parse(Self.nginx) == .check(expected))
    }

    @Test func theHeadEndsAtItsEmptyLineWhateverFollows() {
        let next = "GET /healthz HTTP/1.1\r\n\r\n"
        guard case .check(let head) = Self.parse(Self.nginx + next) else {
            Issue.record("not a check")
            return
        }
        #expect(head.length == Self.nginx.utf8.count)
    }

    @Test func everyPrefixOfAHeadIsIncomplete() {
        let bytes = Array((Self.nginx).utf8)
        for end in 0..<bytes.count {
            #expect(Self.parse(Array(bytes[..<end])) == .incomplete, "\(end)")
        }
    }

    @Test func aQueryOfVisibleASCIIIsStillTheCheck() {
        #expect(Self.fields("GET /v1/check? HTTP/1.1\r\n\r\n") == CheckRequestHead())
        #expect(Self.fields("GET /v1/check?a=1&b={x}#f HTTP/1.1\r\n\r\n") == CheckRequestHead())
    }

    @Test func namesAreMatchedWithoutRegardToCase() {
        let head = "GET /v1/check HTTP/1.1\r\nx-sluice-token: t\r\nX-SLUICE-ACCOUNT: a\r\nconnection: close\r\n\r\n"
        #expect(Self.fields(head) == CheckRequestHead(token: "t", account: "a", connection: "close"))
    }

    @Test func valuesLoseTheirSurroundingWhitespaceAndKeepTheirOrder() {
        let head =
            "GET /v1/check HTTP/1.1\r\nX-Sluice-Account:\t a b \t\r\nX-Sluice-Account:c\r\nX-Sluice-Token:\r\n\r\n"
        #expect(Self.fields(head) == CheckRequestHead(token: "", account: "a b, c"))
    }

    @Test func repeatedFieldsAreJoinedAsHTTPFieldsJoinsThem() {
        let head = "GET /v1/check HTTP/1.1\r\nAuthorization: a\r\nHost: h\r\nauthorization:  b\r\n\r\n"
        let fields: HTTPFields = [.authorization: "a", .accept: "h", .authorization: "b"]
        #expect(Self.fields(head)?.authorization == fields[.authorization])
    }

    @Test func bytesBeyondASCIIAreDecodedAsNIOsDecoderDoes() {
        let bytes = Array("GET /v1/check HTTP/1.1\r\nX-Sluice-Account: \u{e4}".utf8) + [0xFF] + Array("\r\n\r\n".utf8)
        guard case .check(let head) = Self.parse(bytes) else {
            Issue.record("not a check")
            return
        }
        #expect(head.account == "\u{e4}\u{fffd}")
    }

    @Test func aContentLengthOfZeroIsNoBody() {
        #expect(Self.fields("GET /v1/check HTTP/1.1\r\nContent-Length: 0\r\n\r\n") == CheckRequestHead())
    }

    @Test(arguments: [
        // Other requests.
        "POST /v1/check HTTP/1.1\r\n\r\n", "get /v1/check HTTP/1.1\r\n\r\n", "GET /v1/checks HTTP/1.1\r\n\r\n",
        "GET /v1/check/ HTTP/1.1\r\n\r\n", "GET /v1/blocks HTTP/1.1\r\n\r\n", "GET http://h/v1/check HTTP/1.1\r\n\r\n",
        "GET /healthz HTTP/1.1\r\n\r\n", "PUT /",
        // Other versions, and request lines the decoder refuses.
        "GET /v1/check HTTP/1.0\r\n\r\n", "GET /v1/check HTTP/2.0\r\n\r\n", "GET /v1/check\r\n\r\n",
        "GET  /v1/check HTTP/1.1\r\n\r\n", "GET /v1/check  HTTP/1.1\r\n\r\n", "GET /v1/check HTTP/1.1\n\n",
        "GET /v1/check?a b HTTP/1.1\r\n\r\n", "GET /v1/check?a=\u{7f} HTTP/1.1\r\n\r\n",
        "GET /v1/check?a=\u{e4} HTTP/1.1\r\n\r\n", "GET /v1/check?a\tb HTTP/1.1\r\n\r\n",
        // A body, or a framing the decoder decides.
        "GET /v1/check HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello",
        "GET /v1/check HTTP/1.1\r\ncontent-length: 00\r\n\r\n",
        "GET /v1/check HTTP/1.1\r\nContent-Length: 0\r\nContent-Length: 0\r\n\r\n",
        "GET /v1/check HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        "GET /v1/check HTTP/1.1\r\nUpgrade: websocket\r\nConnection: upgrade\r\n\r\n",
        // Malformed fields.
        "GET /v1/check HTTP/1.1\r\nX-Sluice-Token : t\r\n\r\n", "GET /v1/check HTTP/1.1\r\n: t\r\n\r\n",
        "GET /v1/check HTTP/1.1\r\nX-Sluice-Token t\r\n\r\n", "GET /v1/check HTTP/1.1\r\nA\u{1}: t\r\n\r\n",
        "GET /v1/check HTTP/1.1\r\nX-Sluice-Token: t\r\n folded\r\n\r\n",
        "GET /v1/check HTTP/1.1\r\nX-Sluice-Token: t\n\r\n", "GET /v1/check HTTP/1.1\r\nX-Sluice-Token: t\r\r\n\r\n",
        "GET /v1/check HTTP/1.1\r\nX-Sluice-Token: a\u{1}b\r\n\r\n",
        "GET /v1/check HTTP/1.1\r\nX-Sluice-Token: a\u{7f}b\r\n\r\n", "GET /v1/check HTTP/1.1\r\n\r\r\n",
    ])
    func anythingElseIsLeftToTheDecoder(_ head: String) {
        #expect(Self.parse(head) == .other)
    }

    @Test func anOversizedHeadIsLeftToTheDecoder() {
        let start = "GET /v1/check HTTP/1.1\r\nX-Padding: "
        let padding = String(repeating: "p", count: CheckRequestHead.maximumLength)
        #expect(Self.parse(start + padding) == .other)
        #expect(Self.parse(start + padding + "\r\n\r\n") == .other)
        let justUnder = String(repeating: "p", count: CheckRequestHead.maximumLength - start.utf8.count - 5)
        #expect(Self.fields(start + justUnder + "\r\n\r\n") == CheckRequestHead())
    }

    @Test func tooManyFieldsAreLeftToTheDecoder() {
        let field = "A: b\r\n"
        let head = "GET /v1/check HTTP/1.1\r\n"
        #expect(
            Self.fields(head + String(repeating: field, count: CheckRequestHead.maximumFieldCount) + "\r\n")
                == CheckRequestHead())
        #expect(
            Self.parse(head + String(repeating: field, count: CheckRequestHead.maximumFieldCount + 1) + "\r\n")
                == .other)
    }
}
