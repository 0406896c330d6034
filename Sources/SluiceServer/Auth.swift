import Foundation
import HTTPTypes
import Hummingbird
import SluiceCore
import SluiceStore

/// Who made a request: a configured token's name and role, or `anonymous` when auth is off.
public struct Identity: Sendable, Equatable {
    public var name: String
    public var role: Configuration.Token.Role?

    public static let anonymous = Identity(name: "anonymous", role: nil)

    /// The caller of the request being handled, set by the auth middleware. Handlers read the
    /// actor of a decision from it; the router's context stays `BasicRequestContext`.
    @TaskLocal public static var current: Identity?
}

/// Who may call a route.
public enum Access: Sendable, Equatable {
    /// Anyone, even with auth configured.
    case open
    /// A token with one of these roles.
    case roles(Set<Configuration.Token.Role>)
}

/// A route of the API and who may call it. `SluiceAPI.routes` lists them all; the auth middleware
/// reads it, and a route missing from it needs an admin token.
public struct RouteAccess: Sendable, Equatable {
    public var method: HTTPRequest.Method
    /// As the router spells it: `/v1/blocks/{id}`.
    public var path: String
    public var access: Access

    public init(_ method: HTTPRequest.Method, _ path: String, _ access: Access) {
        self.method = method
        self.path = path
        self.access = access
    }
}

extension HTTPField.Name {
    /// The gateway's token: a gateway's `Authorization` header carries the customer's API key.
    static let sluiceToken = HTTPField.Name("X-Sluice-Token")!
    /// The account a gateway asks about, when it knows it.
    static let sluiceAccount = HTTPField.Name("X-Sluice-Account")!
    static let sluiceDecision = HTTPField.Name("X-Sluice-Decision")!
}

/// The configured tokens, by SHA-256. A presented token is hashed and compared with every
/// configured digest in constant time, so timing says nothing about which bytes matched.
struct Authenticator: Sendable {
    struct Entry: Sendable {
        var name: String
        var role: Configuration.Token.Role
        var digest: [UInt8]
    }

    let entries: [Entry]

    init(tokens: [Configuration.Token]) {
        entries = tokens.map { Entry(name: $0.name, role: $0.role, digest: Self.bytes(hex: $0.sha256)) }
    }

    /// No tokens configured: every route is open (and `serve` binds to loopback only).
    var isOpen: Bool { entries.isEmpty }

    func identify(_ presented: String) -> Identity? {
        let digest = Digest.sha256(Array(presented.utf8))
        var found: Identity?
        // No early exit: every digest is compared.
        for entry in entries where Digest.constantTimeEquals(digest, entry.digest) && found == nil {
            found = Identity(name: entry.name, role: entry.role)
        }
        return found
    }

    static func bytes(hex: String) -> [UInt8] {
        var result: [UInt8] = []
        var high: UInt8?
        for c in hex.utf8 {
            let v: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): v = c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): v = c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): v = c - UInt8(ascii: "A") + 10
            default: continue
            }
            if let h = high {
                result.append(h << 4 | v)
                high = nil
            } else {
                high = v
            }
        }
        return result
    }
}

/// Authenticates every request against the route's `Access` and sets `Identity.current`.
/// Reader, admin and ingest tokens come as `Authorization: Bearer`; gateway tokens as
/// `X-Sluice-Token`. On `/v1/check` only `X-Sluice-Token` is read: there `Authorization` is the
/// customer's API key. Tokens are never logged.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    let authenticator: Authenticator
    /// Access by endpoint path, then method.
    let rules: [String: [HTTPRequest.Method: Access]]

    init(authenticator: Authenticator, routes: [RouteAccess]) {
        self.authenticator = authenticator
        var rules: [String: [HTTPRequest.Method: Access]] = [:]
        for route in routes { rules[route.path, default: [:]][route.method] = route.access }
        self.rules = rules
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        if authenticator.isOpen {
            return try await Identity.$current.withValue(.anonymous) { try await next(request, context) }
        }
        // No endpoint: no such route, answered 404 by the router.
        guard let endpoint = context.endpointPath,
            let identity = try authorize(request.headers, method: request.method, endpoint: endpoint)
        else { return try await next(request, context) }
        return try await Identity.$current.withValue(identity) { try await next(request, context) }
    }

    /// The caller of `method endpoint`, nil on an open route; throws 401 or 403. Also called by the
    /// check's pipeline fast path, so both ways to `/v1/check` authenticate alike; that path passes
    /// only `X-Sluice-Token`, the one field read here for the check.
    func authorize(_ headers: HTTPFields, method: HTTPRequest.Method, endpoint: String) throws(APIError)
        -> Identity?
    {
        if authenticator.isOpen { return .anonymous }
        let access = rules[endpoint]?[method] ?? .roles([.admin])
        guard case .roles(let roles) = access else { return nil }

        let gatewayOnly = endpoint == SluiceAPI.checkPath
        var presented = headers[.sluiceToken]
        if presented == nil, !gatewayOnly, let header = headers[.authorization] {
            presented = KeyHasher.bearerToken(header)
        }
        guard let presented, !presented.isEmpty else {
            throw APIError(
                .unauthorized, code: "unauthorized",
                gatewayOnly
                    ? "this route needs a gateway token in X-Sluice-Token"
                    : "this route needs a token: Authorization: Bearer TOKEN")
        }
        guard let identity = authenticator.identify(presented), let role = identity.role else {
            throw APIError(.unauthorized, code: "unauthorized", "the token is not one this server knows")
        }
        guard roles.contains(role) else {
            let needed = roles.map(\.rawValue).sorted().joined(separator: " or ")
            throw APIError(
                .forbidden, code: "forbidden",
                "token \"\(identity.name)\" has role \(role.rawValue); \(method) \(endpoint) needs \(needed)")
        }
        return identity
    }
}

/// Answers every error as `{"error": {"code", "message"}}`: the router's own 404s, oversized
/// bodies, store failures (whose text stays in the log, not the answer).
struct JSONErrorMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            throw error
        } catch let error as HTTPError {
            let code: String
            switch error.status {
            case .notFound: code = "not_found"
            case .contentTooLarge: code = "too_large"
            case .methodNotAllowed: code = "method_not_allowed"
            case .unauthorized: code = "unauthorized"
            case .forbidden: code = "forbidden"
            default: code = error.status.code < 500 ? "bad_request" : "internal"
            }
            let message =
                error.status == .notFound
                ? "no route \(request.method) \(request.uri.path)" : (error.body ?? error.status.reasonPhrase)
            throw APIError(error.status, code: code, message)
        } catch let error as any HTTPResponseError {
            throw APIError(error.status, code: error.status.code < 500 ? "bad_request" : "internal", "\(error.status)")
        } catch let error as StoreError {
            context.logger.error("store failure on \(request.method) \(context.endpointPath ?? "?"): \(error)")
            throw APIError(.internalServerError, code: "internal", "the store failed; see the server log")
        } catch {
            context.logger.error("failure on \(request.method) \(context.endpointPath ?? "?"): \(error)")
            throw APIError(.internalServerError, code: "internal", "internal error; see the server log")
        }
    }
}
