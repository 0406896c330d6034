import Foundation
import SluiceTestSupport
import Testing

@Suite(.serialized, .enabled(if: Products.built, "build the products first: swift build"))
struct ServeEndToEndTests {
    func sampleLines() throws -> String {
        try String(
            contentsOf: Products.sharedData.appendingPathComponent(
                "sample_logs/litellm-1.82.6/custom_logger_standard_logging_payload.jsonl"), encoding: .utf8)
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: Products.sharedData.path)))
    func servesStatusFlaggedAndAccountsWhileTailingAndStopsOnSIGTERM() async throws {
        let directory = try temporaryDirectory("sluice-e2e")
        try FileManager.default.createDirectory(
            at: directory.appendingPathComponent("logs"), withIntermediateDirectories: true)
        let config = directory.appendingPathComponent("sluice.yaml")
        try """
        store: { path: \(directory.appendingPathComponent("sluice.db").path) }
        sources:
          - { name: lite, path: "\(directory.path)/logs/*.jsonl", format: litellm, account: [end_user] }
        scoring: { interval: 1s }
        ingest: { poll_interval: 100ms }
        """.write(to: config, atomically: true, encoding: .utf8)
        let server = try RunningServer(config: config, directory: directory)

        #expect(try await server.get("/healthz").status == 200)
        let log = directory.appendingPathComponent("logs/app.jsonl")
        try (try sampleLines() + "this is not json\n").write(to: log, atomically: false, encoding: .utf8)

        let ingested = try await eventually {
            (try await server.json("/v1/status")["lines"] as? Int) == 18
        }
        #expect(ingested)
        let status = try await server.json("/v1/status")
        #expect(status["accounts"] as? Int == 6)
        #expect(status["bad_lines"] as? Int == 1)
        let source = try #require((status["sources"] as? [[String: Any]])?.first)
        #expect(source["path"] as? String == log.path)
        let size = try FileManager.default.attributesOfItem(atPath: log.path)[.size] as? Int
        #expect(source["offset"] as? Int == size)
        #expect(source["lag_bytes"] as? Int == 0)

        let scored = try await eventually {
            (try await server.json("/v1/status")["last_scoring"] as? String) != nil
        }
        #expect(scored)
        let flagged = try await server.json("/v1/flagged?level=watch")
        #expect(flagged["flagged"] is [Any])

        let account = try await server.json("/v1/accounts/acct-distill-77")
        #expect(account["requests"] as? Int == 6)
        #expect((account["features"] as? [String: Any])?["multi_sample"] as? Double == 3)
        let missing = try await server.get("/v1/accounts/nobody")
        #expect(missing.status == 404)
        let error = try JSONSerialization.jsonObject(with: missing.body) as? [String: [String: String]]
        #expect(error?["error"]?["code"] == "not_found")

        let ctl = try run(Products.sluicectl, ["status"], environment: ["SLUICE_SERVER": server.url])
        #expect(ctl.status == 0)
        #expect(ctl.stdout.contains("records 18"))
        let show = try run(Products.sluicectl, ["show", "acct-distill-77", "--server", server.url, "--json"])
        #expect(show.status == 0)
        #expect(show.stdout.contains("\"requests\":6"))
        #expect(show.stdout.contains("\"activity\":[{"))
        let shown = try run(Products.sluicectl, ["show", "acct-distill-77", "--server", server.url])
        #expect(shown.status == 0)
        #expect(shown.stdout.contains("activity    requests an hour"), "\(shown.stdout)")
        let unknown = try run(Products.sluicectl, ["show", "nobody", "--server", server.url])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.hasPrefix("sluicectl: no account nobody"))
        let listed = try run(Products.sluicectl, ["flagged", "--level", "watch", "--server", server.url])
        #expect(listed.status == 0)

        #expect(server.stop() == 0)
        let unreachable = try run(Products.sluicectl, ["status", "--server", server.url])
        #expect(unreachable.status == 1)
        #expect(unreachable.stderr.contains("cannot reach"))
    }

    @Test func rejectsABadConfigWithOneLine() throws {
        let directory = try temporaryDirectory("sluice-config")
        let config = directory.appendingPathComponent("bad.yaml")
        try "server: { port: eighty }\n".write(to: config, atomically: true, encoding: .utf8)
        let result = try run(Products.sluice, ["serve", "--config", config.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("server.port: expected an integer"))
        #expect(result.stderr.split(separator: "\n").count == 1)
    }
}

@Suite(.enabled(if: Products.built && FileManager.default.fileExists(atPath: Products.sharedData.path)))
struct ReplayEndToEndTests {
    @Test func replayPrintsTheDocumentedJSON() throws {
        let file = Products.sharedData.appendingPathComponent(
            "sample_logs/litellm-1.82.6/custom_logger_standard_logging_payload.jsonl"
        ).path
        let result = try run(Products.sluice, ["replay", "--json", "--account-field", "end_user", file])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(json["lines"] as? Int == 18)
        #expect(json["accounts"] as? Int == 6)
        #expect(json["bad_lines"] as? Int == 0)
        #expect(json["flagged"] is [Any])
    }

    @Test func replayOfAMissingFileIsOneLineAndExitOne() throws {
        let result = try run(Products.sluice, ["replay", "/nonexistent/file.jsonl"])
        #expect(result.status == 1)
        #expect(result.stderr == "sluice: cannot read /nonexistent/file.jsonl: no such file or not readable\n")
    }

    @Test func usageErrorsExitTwo() throws {
        let result = try run(Products.sluice, ["replay", "--format", "csv", "x"])
        #expect(result.status == 2)
    }
}
