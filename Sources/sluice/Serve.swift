import ArgumentParser
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import SluiceCore
import SluiceIngest
import SluiceServer

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the daemon: tail the configured logs, score accounts, serve the REST API.")

    @OptionGroup var options: ConfigOptions

    @Option(help: "SQLite database file (overrides store.path).")
    var db: String?

    @Option(help: "Address to listen on (overrides server.host).")
    var host: String?

    @Option(help: "Port to listen on, 0 for any free port (overrides server.port).")
    var port: Int?

    func run() async throws {
        try await reportingErrors {
            var configuration = try options.load()
            if let db { configuration.storePath = db }
            if let host { configuration.server.host = host }
            if let port { configuration.server.port = port }
            try await Self.serve(configuration, logger: options.logger("sluice"))
        }
    }

    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    static func serve(
        _ configuration: SluiceCore.Configuration, logger: Logger, extraServices: [any Service] = [],
        onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws {
        if configuration.tokens.isEmpty && !isLoopback(configuration.server.host) {
            throw UserError(
                "refusing to listen on \(configuration.server.host) with no auth tokens configured; "
                    + "add auth.tokens to the config or listen on 127.0.0.1")
        }
        let engine = try Engine(configuration: configuration, logger: logger)
        let api = SluiceAPI(
            store: engine.store, tailers: engine.tailers, scoring: engine.scoring, configuration: configuration,
            logger: logger)
        do {
            try await api.prepareDecisions()
        } catch {
            throw UserError("cannot load decisions from \(configuration.storePath): \(error)")
        }
        await engine.scoring.setAfterPass { assessments in await api.applyPolicy(assessments) }
        let app = Application(
            router: api.buildRouter(),
            server: api.server,
            configuration: .init(address: .hostname(configuration.server.host, port: configuration.server.port)),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? configuration.server.port
                FileHandle.standardOutput.write(
                    Data("sluice: listening on http://\(configuration.server.host):\(port)\n".utf8))
                await onRunning(port)
            },
            logger: logger)
        let tail = TailService(
            tailers: engine.tailers, scoring: engine.scoring, pollInterval: configuration.ingest.pollInterval,
            logger: logger)
        let scoring = ScoringService(scoring: engine.scoring, interval: configuration.scoring.interval)
        let group = ServiceGroup(
            configuration: .init(
                services: [
                    .init(service: tail), .init(service: scoring), .init(service: DecisionService(api: api)),
                    .init(service: app),
                ]
                    + extraServices.map { .init(service: $0) },
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        do {
            try await group.run()
        } catch {
            throw UserError("server stopped: \(error)")
        }
        logger.info("stopped cleanly")
    }
}

/// Keeps the API's decision snapshot and key map current (expiries, auto-blocks, new keys).
struct DecisionService: Service {
    let api: SluiceAPI
    func run() async throws {
        await cancelWhenGracefulShutdown { await api.maintainDecisions() }
    }
}
