import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Prometheus
import SluiceCore
import SluiceStore

// Blocks, the allowlist, the audit log, the gateway check and the blocklist stream.

extension SluiceAPI {
    /// The gateway check, served from memory.
    public static let checkPath = "/v1/check"
    /// Largest body of a decision request; decisions are a few hundred bytes.
    static let decisionBodyLimit = 64 << 10

    func addDecisionRoutes(to router: Router<BasicRequestContext>) {
        router.get("/v1/check") { request, _ in check(request.headers).response }
        router.get("/v1/blocklist") { request, _ in try await blocklist(request) }
        router.get("/v1/audit") { request, _ in try await audit(request) }
        for (path, kind) in [("/v1/blocks", Decision.Kind.block), ("/v1/allowlist", .allow)] {
            router.get(RouterPath(path)) { _, _ in
                JSONResponse.make(DecisionList(decisions: try await store.activeDecisions(kind)))
            }
            router.post(RouterPath(path)) { request, _ in try await create(kind, request) }
            router.delete(RouterPath(path + "/:id")) { request, context in
                try await revoke(kind, account: try context.parameters.require("id"), request)
            }
        }
    }

    // MARK: - Check

    /// An answer of the check, as the route returns it (`response`), `CheckChannelHandler` writes it
    /// (`status`, `headers`, `body`) and `FrontCheckHandler` writes it as bytes. What it says, not
    /// an `HTTPFields`: building one per check cost more than the rest of the check.
    struct CheckAnswer {
        enum Outcome {
            /// No account named and no known API key.
            case unknown
            case allow(account: String)
            case block(account: String, denial: ByteBuffer)
            /// An auth refusal, as `APIError.response` answers it.
            case refused(status: HTTPResponse.Status, body: ByteBuffer)
        }

        var outcome: Outcome

        init(_ outcome: Outcome) {
            self.outcome = outcome
        }

        init(_ error: APIError) {
            self.init(.refused(status: error.status, body: error.body))
        }

        var status: HTTPResponse.Status {
            switch outcome {
            case .unknown, .allow: .noContent
            case .block: .forbidden
            case .refused(let status, _): status
            }
        }

        /// The answer's fields in order, each name with its value (not yet legalized, as
        /// `HTTPField` does): both `headers` and the pipeline's writer read them from here.
        func forEachField(_ body: (HTTPField.Name, String) -> Void) {
            switch outcome {
            case .unknown:
                break
            case .allow(let account):
                body(.sluiceAccount, account)
                body(.sluiceDecision, "allow")
            case .block(let account, _):
                body(.contentType, "application/json")
                body(.sluiceAccount, account)
                body(.sluiceDecision, "block")
            case .refused:
                body(.contentType, "application/json")
            }
        }

        var headers: HTTPFields {
            var fields = HTTPFields()
            forEachField { fields.append(HTTPField(name: $0, value: $1)) }
            return fields
        }

        var body: ByteBuffer? {
            switch outcome {
            case .unknown, .allow: nil
            case .block(_, let denial), .refused(_, let denial): denial
            }
        }

        var response: Response {
            Response(
                status: status, headers: headers, body: body.map { ResponseBody(byteBuffer: $0) } ?? ResponseBody())
        }
    }

    /// 204 allow (unknown accounts too), 403 block with a JSON reason. Reads only memory; its
    /// latency goes to a dedicated histogram instead of the per-route middleware, which would
    /// cost more than the check.
    func check(_ headers: HTTPFields) -> CheckAnswer {
        check(account: headers[.sluiceAccount], authorization: headers[.authorization])
    }

    /// The check on the values of `X-Sluice-Account` and `Authorization`, as `HTTPFields` gives
    /// them. The pipeline's parser of raw heads (`CheckRequestHead`) reads only these two fields
    /// and `X-Sluice-Token`: a field the check reads must be read there too.
    func check(account header: String?, authorization: String?) -> CheckAnswer {
        let start = ContinuousClock.now
        defer { checkMetrics.duration.record(ContinuousClock.now - start) }
        var account = header.flatMap { $0.isEmpty ? nil : $0 }
        if account == nil, let authorization, let key = KeyHasher.bearerToken(authorization) {
            account = decisions.account(forAPIKey: key)
        }
        guard let account else {
            checkMetrics.unknown.increment()
            return CheckAnswer(.unknown)
        }
        guard let block = decisions.block(on: account) else {
            checkMetrics.allowed.increment()
            return CheckAnswer(.allow(account: account))
        }
        checkMetrics.blocked.increment()
        return CheckAnswer(.block(account: account, denial: block.denial))
    }

    // MARK: - Blocklist and audit

    func blocklist(_ request: Request) async throws -> Response {
        var since: Int64?
        if let text = request.uri.queryParameters["since"], !text.isEmpty {
            guard let value = Int64(text), value >= 0 else {
                throw APIError.badRequest("since must be a cursor this server returned (a non-negative integer)")
            }
            since = value
        }
        return JSONResponse.make(try await store.blocklist(since: since))
    }

    func audit(_ request: Request) async throws -> Response {
        let query = request.uri.queryParameters
        var limit = 100
        if let text = query["limit"] {
            guard let parsed = Int(text), (1...1000).contains(parsed) else {
                throw APIError.badRequest("limit must be an integer from 1 to 1000")
            }
            limit = parsed
        }
        var before: Int64?
        if let text = query["cursor"], !text.isEmpty {
            guard let parsed = Int64(text) else { throw APIError.badRequest("cursor is not one this server returned") }
            before = parsed
        }
        let account = query["account"].map { String($0).removingPercentEncoding ?? String($0) }
        return JSONResponse.make(try await store.auditLog(limit: limit, before: before, account: account))
    }

    // MARK: - Mutations

    var actor: String { Identity.current?.name ?? Identity.anonymous.name }

    func create(_ kind: Decision.Kind, _ request: Request) async throws -> Response {
        let body = try await Self.decode(DecisionRequest.self, request, limit: Self.decisionBodyLimit)
        let account = try Self.validAccount(body.account)
        let reason = try Self.validReason(body.reason)
        let now = Date()
        var expiresAt: Date?
        if let text = body.duration {
            guard let seconds = Configuration.parseDuration(text), seconds > 0 else {
                throw APIError.badRequest("duration \"\(text)\" is not a duration such as 7d, 12h or 30m")
            }
            expiresAt = now.addingTimeInterval(seconds)
        }
        let decision = try await mutate {
            try await store.decide(kind, account: account, actor: actor, reason: reason, expiresAt: expiresAt, now: now)
        }
        logger.notice(
            "\(kind == .block ? "block" : "allow")",
            metadata: ["account": "\(account)", "actor": "\(actor)", "decision": "\(decision.id)"])
        return JSONResponse.make(decision, status: .created)
    }

    func revoke(_ kind: Decision.Kind, account rawAccount: String, _ request: Request) async throws -> Response {
        let account = try Self.validAccount(rawAccount.removingPercentEncoding ?? rawAccount)
        var reason = request.uri.queryParameters["reason"].map { String($0).removingPercentEncoding ?? String($0) }
        let bytes = try await Self.collect(request, limit: Self.decisionBodyLimit)
        if bytes.readableBytes > 0 {
            reason = try Self.decode(RevokeRequest.self, from: bytes).reason
        }
        let valid = try Self.validReason(reason ?? "")
        let decision = try await mutate {
            try await store.revoke(kind, account: account, actor: actor, reason: valid)
        }
        logger.notice(
            "\(kind == .block ? "unblock" : "disallow")",
            metadata: ["account": "\(account)", "actor": "\(actor)", "decision": "\(decision.id)"])
        return JSONResponse.make(decision)
    }

    /// Runs a store mutation, maps its refusals to 4xx, and installs the new snapshot before
    /// answering, so a check right after the answer sees the decision.
    func mutate(_ body: () async throws -> Decision) async throws -> Decision {
        let decision: Decision
        do {
            decision = try await body()
        } catch let error as StoreError where error.code == "conflict" {
            throw APIError(.conflict, code: "conflict", error.message)
        } catch let error as StoreError where error.code == "not_found" {
            throw APIError.notFound(error.message)
        }
        try await decisions.reload(from: store)
        return decision
    }

    static func validAccount(_ text: String) throws -> String {
        let account = text.trimmingCharacters(in: .whitespaces)
        guard !account.isEmpty, account.utf8.count <= 512,
            !account.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else {
            throw APIError.badRequest("account must be 1 to 512 bytes of text without control characters")
        }
        return account
    }

    static func validReason(_ text: String) throws -> String {
        let reason = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw APIError.badRequest("reason is required: say why, for the audit log") }
        guard reason.utf8.count <= 4096 else { throw APIError.badRequest("reason is longer than 4096 bytes") }
        return reason
    }

    // MARK: - Bodies

    /// The body, refused with 413 beyond `limit` bytes (by Content-Length before reading any).
    static func collect(_ request: Request, limit: Int) async throws -> ByteBuffer {
        let tooLarge = APIError(.contentTooLarge, code: "too_large", "the body is larger than \(limit) bytes")
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit { throw tooLarge }
        var buffer = ByteBuffer()
        for try await chunk in request.body {
            guard buffer.readableBytes + chunk.readableBytes <= limit else { throw tooLarge }
            var chunk = chunk
            buffer.writeBuffer(&chunk)
        }
        return buffer
    }

    static func decode<T: Decodable>(_ type: T.Type, _ request: Request, limit: Int) async throws -> T {
        try decode(type, from: try await collect(request, limit: limit))
    }

    /// Decodes JSON; broken JSON and wrong fields are a 400 that names the problem.
    static func decode<T: Decodable>(_ type: T.Type, from buffer: ByteBuffer) throws -> T {
        guard buffer.readableBytes > 0 else {
            throw APIError(.badRequest, code: "bad_json", "the body is empty; send JSON")
        }
        do {
            return try JSONDecoder.sluice.decode(T.self, from: Data(buffer.readableBytesView))
        } catch DecodingError.keyNotFound(let key, _) {
            throw APIError.badRequest("missing field \"\(key.stringValue)\"")
        } catch DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context) {
            let field = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw APIError.badRequest("field \"\(field)\" has the wrong type")
        } catch {
            throw APIError(.badRequest, code: "bad_json", "the body is not valid JSON")
        }
    }

    // MARK: - Keeping the snapshot current

    /// Loads the decision snapshot and the key map; call before serving.
    public func prepareDecisions() async throws {
        try await decisions.reload(from: store)
        try await decisions.reloadKeys(from: store)
    }

    /// Until cancelled: notes lapsed decisions, picks up decisions made outside this API
    /// (auto-blocks, another process on the same store) every `interval`, and refreshes the
    /// key map every `keyInterval`.
    public func maintainDecisions(interval: Duration = .seconds(1), keyInterval: Duration = .seconds(5)) async {
        var lastKeys = ContinuousClock.now
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: interval)
            } catch {
                return
            }
            await refreshDecisions()
            if ContinuousClock.now - lastKeys >= keyInterval {
                lastKeys = ContinuousClock.now
                do {
                    try await decisions.reloadKeys(from: store)
                } catch {
                    logger.error("cannot refresh the API key map: \(error)")
                }
            }
        }
    }

    /// One round of `maintainDecisions`.
    public func refreshDecisions(now: Date = Date()) async {
        do {
            if decisions.hasLapsed(now: now) {
                for d in try await store.noteExpiredDecisions(now: now) {
                    logger.notice(
                        "\(d.kind.rawValue) expired", metadata: ["account": "\(d.account)", "decision": "\(d.id)"])
                }
            }
            if try await store.decisionHead() != decisions.head { try await decisions.reload(from: store) }
        } catch {
            logger.error("cannot refresh decisions: \(error)")
        }
    }

    /// Applies the `auto_block` policy to a scoring pass: accounts at `policy.level` or above are
    /// blocked as `sluice-auto` for `policy.duration` (0: until revoked). In shadow mode (the
    /// default) it does nothing. The store skips accounts with any manual say (see `autoBlock`).
    public func applyPolicy(_ assessments: [Assessment], now: Date = Date()) async {
        let policy = configuration.policy
        guard policy.autoBlock else { return }
        let candidates = assessments.filter { $0.level >= policy.level }.map { a in
            let codes = a.reasons.prefix(4).map(\.code).joined(separator: ", ")
            return (
                account: a.account,
                reason: "auto_block: score \(String(format: "%.2f", a.score)), \(a.level.rawValue): \(codes)"
            )
        }
        guard !candidates.isEmpty else { return }
        let expiresAt = policy.duration.flatMap { $0 > 0 ? now.addingTimeInterval($0) : nil }
        do {
            let made = try await store.autoBlock(candidates, expiresAt: expiresAt, now: now)
            guard !made.isEmpty else { return }
            try await decisions.reload(from: store)
            checkMetrics.autoBlocks.increment(by: Int64(made.count))
            for d in made {
                logger.notice("auto-blocked", metadata: ["account": "\(d.account)", "decision": "\(d.id)"])
            }
        } catch {
            logger.error("auto_block failed: \(error)")
        }
    }
}

/// Metrics of the check, made once: looking a metric up by name and labels per request costs
/// more than the check itself.
struct CheckMetrics: Sendable {
    let duration: DurationHistogram
    let allowed: Prometheus.Counter
    let blocked: Prometheus.Counter
    let unknown: Prometheus.Counter
    let autoBlocks: Prometheus.Counter

    static let buckets: [Duration] = [
        .microseconds(2), .microseconds(5), .microseconds(10), .microseconds(25), .microseconds(50),
        .microseconds(100), .microseconds(250), .microseconds(1000), .milliseconds(10),
    ]

    init(registry: PrometheusCollectorRegistry) {
        duration = registry.durationHistogram(
            "sluice_check_duration_seconds", labels: [], buckets: Self.buckets,
            help: "Time to decide a GET /v1/check, in the handler")
        let help = "Gateway checks by result"
        allowed = registry.counter("sluice_checks_total", labels: [("result", "allow")], help: help)
        blocked = registry.counter("sluice_checks_total", labels: [("result", "block")], help: help)
        unknown = registry.counter("sluice_checks_total", labels: [("result", "unknown")], help: help)
        autoBlocks = registry.counter("sluice_auto_blocks_total", help: "Blocks made by the auto_block policy")
    }
}
