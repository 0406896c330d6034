import Foundation
import Hummingbird
import SluiceCore

/// An error answered as `{"error": {"code", "message"}}` with its HTTP status.
public struct APIError: HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String

    public init(_ status: HTTPResponse.Status, code: String, _ message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: body))
    }

    /// `{"error": {"code", "message"}}`.
    var body: ByteBuffer { JSONResponse.encode(APIErrorBody(code: code, message: message)) }

    static func notFound(_ message: String) -> APIError { APIError(.notFound, code: "not_found", message) }
    static func badRequest(_ message: String) -> APIError { APIError(.badRequest, code: "bad_request", message) }
}

enum JSONResponse {
    static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: encode(value)))
    }

    static func encode(_ value: some Encodable) -> ByteBuffer {
        ByteBuffer(bytes: (try? JSONEncoder.sluice.encode(value)) ?? Data("{}".utf8))
    }
}
