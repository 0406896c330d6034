import Foundation
import Hummingbird
import Logging
import Prometheus
import SluiceCore
import SluiceIngest
import SluiceStore

/// The REST API over a store, the live tailers and the scoring runner.
public struct SluiceAPI: Sendable {
    public let store: SQLiteStore
    public let tailers: [FileTailer]
    public let scoring: ScoringRunner
    public let configuration: Configuration
    public let registry: PrometheusCollectorRegistry
    /// Active decisions and the API-key map, in memory, for `GET /v1/check`.
    public let decisions: DecisionCache
    public let logger: Logger
    let authenticator: Authenticator
    let checkMetrics: CheckMetrics

    public init(
        store: SQLiteStore, tailers: [FileTailer], scoring: ScoringRunner, configuration: Configuration,
        logger: Logger = Logger(label: "sluice")
    ) {
        self.store = store
        self.tailers = tailers
        self.scoring = scoring
        self.configuration = configuration
        self.registry = PrometheusCollectorRegistry()
        self.decisions = DecisionCache(keyHasher: KeyHasher(secret: configuration.keySecret))
        self.logger = logger
        self.authenticator = Authenticator(tokens: configuration.tokens)
        self.checkMetrics = CheckMetrics(registry: registry)
    }

    /// Every route and who may call it: the auth middleware's table, and the list the OpenAPI
    /// test holds against `openapi.yaml`. A registered route missing here needs an admin token.
    public var routes: [RouteAccess] {
        let readers = Access.roles([.reader, .admin])
        let admins = Access.roles([.admin])
        return [
            RouteAccess(.get, "/healthz", .open),
            RouteAccess(.get, "/metrics", configuration.server.publicMetrics ? .open : readers),
            RouteAccess(.get, "/v1/status", readers),
            RouteAccess(.get, "/v1/flagged", readers),
            RouteAccess(.get, "/v1/accounts/{id}", readers),
            RouteAccess(.get, "/v1/blocks", readers),
            RouteAccess(.post, "/v1/blocks", admins),
            RouteAccess(.delete, "/v1/blocks/{id}", admins),
            RouteAccess(.get, "/v1/allowlist", readers),
            RouteAccess(.post, "/v1/allowlist", admins),
            RouteAccess(.delete, "/v1/allowlist/{id}", admins),
            RouteAccess(.get, "/v1/audit", readers),
            RouteAccess(.get, Self.checkPath, .roles([.gateway, .admin])),
            RouteAccess(.get, "/v1/blocklist", .roles([.gateway, .reader, .admin])),
            RouteAccess(.post, "/v1/ingest", .roles([.ingest, .admin])),
        ]
    }

    public func buildRouter() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        // Middleware first: Hummingbird binds it to each route as the route is added.
        router.add(middleware: MetricsMiddleware(registry: registry))
        router.add(middleware: JSONErrorMiddleware())
        router.add(middleware: AuthMiddleware(authenticator: authenticator, routes: routes))
        router.get("/healthz") { _, _ in
            Response(status: .ok, body: ResponseBody(byteBuffer: ByteBuffer(string: "ok\n")))
        }
        router.get("/metrics") { _, _ in try await metrics() }
        router.get("/v1/status") { _, _ in JSONResponse.make(try await status()) }
        router.get("/v1/flagged") { request, _ in try await flagged(request) }
        router.get("/v1/accounts/:id") { _, context in
            let id = try context.parameters.require("id")
            guard let detail = try await store.accountDetail(id) else {
                throw APIError.notFound("no account \(id)")
            }
            return JSONResponse.make(detail)
        }
        addDecisionRoutes(to: router)
        addIngestRoutes(to: router)
        return router
    }

    func flagged(_ request: Request) async throws -> Response {
        let query = request.uri.queryParameters
        var level = Level.review
        if let text = query["level"] {
            guard let parsed = Level(rawValue: String(text)), parsed != .none else {
                throw APIError.badRequest("level must be watch, review or block")
            }
            level = parsed
        }
        var limit = 100
        if let text = query["limit"] {
            guard let parsed = Int(text), (1...1000).contains(parsed) else {
                throw APIError.badRequest("limit must be an integer from 1 to 1000")
            }
            limit = parsed
        }
        let cursor = query["cursor"].map(String.init)
        if let cursor, Int(cursor) == nil { throw APIError.badRequest("cursor is not one this server returned") }
        return JSONResponse.make(try await store.flagged(minimum: level, limit: limit, cursor: cursor))
    }

    public func status() async throws -> StatusReport {
        let counts = try await store.sourceCounts()
        let totals = try await store.totals()
        var sources: [SourceStatus] = []
        for tailer in tailers {
            let name = tailer.source.name
            let count = counts[name] ?? SourceCounts()
            let files = tailer.snapshot
            var summary = SourceStatus(
                name: name, path: tailer.source.path, format: tailer.source.format.rawValue,
                offset: files.reduce(0) { $0 + ($1.offset ?? 0) }, size: files.reduce(0) { $0 + ($1.size ?? 0) },
                lagBytes: files.reduce(0) { $0 + ($1.lagBytes ?? 0) },
                lagSeconds: files.compactMap(\.lagSeconds).max() ?? 0,
                lines: count.records, badLines: count.badTotal, badByReason: count.bad)
            if files.count == 1 { summary.path = files[0].path }
            sources.append(summary)
        }
        for (name, count) in counts.sorted(by: { $0.key < $1.key })
        where !tailers.contains(where: { $0.source.name == name }) {
            sources.append(
                SourceStatus(
                    name: name, path: nil, format: nil, offset: nil, size: nil, lagBytes: nil, lagSeconds: nil,
                    lines: count.records, badLines: count.badTotal, badByReason: count.bad))
        }
        let last = try await store.lastScoring()
        return StatusReport(
            accounts: totals.accounts, lines: counts.values.reduce(0) { $0 + $1.records },
            badLines: counts.values.reduce(0) { $0 + $1.badTotal }, flagged: totals.flagged, sources: sources,
            badLineSamples: try await store.badLineSamples(),
            lastScoring: last.map { Date(timeIntervalSince1970: $0.wallTime) },
            lastError: tailers.compactMap(\.lastError).first)
    }

    func metrics() async throws -> Response {
        let report = try await status()
        registry.gauge("sluice_accounts", help: "Accounts seen").set(Double(report.accounts))
        for source in report.sources {
            let labels = [("source", source.name)]
            registry.gauge("sluice_lines_ingested", labels: labels, help: "Log records ingested").set(
                Double(source.lines))
            registry.gauge("sluice_ingest_lag_bytes", labels: labels, help: "Bytes not yet read").set(
                Double(source.lagBytes ?? 0))
            registry.gauge(
                "sluice_ingest_lag_seconds", labels: labels,
                help: "Seconds the source has been behind (0 when every complete line is read)"
            )
            .set(source.lagSeconds ?? 0)
            for reason in BadLineReason.allCases {
                registry.gauge(
                    "sluice_bad_lines", labels: labels + [("reason", reason.rawValue)], help: "Lines skipped as bad"
                ).set(Double(source.badByReason[reason.rawValue] ?? 0))
            }
        }
        for level in ["watch", "review", "block"] {
            registry.gauge("sluice_flagged_accounts", labels: [("level", level)], help: "Accounts flagged by level")
                .set(Double(report.flagged[level] ?? 0))
        }
        let counts = try await store.decisionCounts()
        for kind in [Decision.Kind.block, .allow] {
            let labels = [("kind", kind.rawValue)]
            registry.gauge("sluice_decisions_active", labels: labels, help: "Decisions in force by kind")
                .set(Double(counts[kind]?.active ?? 0))
            registry.gauge("sluice_decisions", labels: labels, help: "Decisions ever made by kind")
                .set(Double(counts[kind]?.total ?? 0))
        }
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
    }
}

/// Records request latency per route.
struct MetricsMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    let registry: PrometheusCollectorRegistry
    static let buckets: [Duration] = [
        .microseconds(50), .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1),
        .milliseconds(5), .milliseconds(25), .milliseconds(100), .milliseconds(500), .seconds(2),
    ]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        // The check records its own, cheaper, histogram (see `CheckMetrics`).
        if context.endpointPath == SluiceAPI.checkPath { return try await next(request, context) }
        let start = ContinuousClock.now
        defer {
            let route = context.endpointPath ?? "unknown"
            registry.durationHistogram(
                "sluice_http_request_duration_seconds", labels: [("route", route)], buckets: Self.buckets,
                help: "HTTP request latency"
            ).record(ContinuousClock.now - start)
        }
        return try await next(request, context)
    }
}
