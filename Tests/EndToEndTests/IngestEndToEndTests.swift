import Foundation
import SluiceCore
import SluiceTestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `POST /v1/ingest`, bad input seen through `/v1/status` and `/metrics`, and ingest faults, all
/// against the real `sluice serve`.
@Suite(.serialized, .enabled(if: Products.built, "build the products first: swift build"))
struct IngestEndToEndTests {
    /// The bodies LiteLLM 1.82.6's `generic_api` callback really posted (JSON arrays of StandardLoggingPayload).
    static var genericAPIBodies: [Data] {
        let file = Products.sharedData.appendingPathComponent(
            "sample_logs/litellm-1.82.6/generic_api_callback_posts.jsonl")
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["body"] as? String
        }.map { Data($0.utf8) }
    }

    static let record =
        #"{"id": "chatcmpl-%d", "startTime": 1795630636.6, "metadata": {"user_api_key_team_id": "team-%@"}, "messages": [{"role": "user", "content": "q%d"}], "prompt_tokens": 3, "completion_tokens": 7}"#
    static func record(_ i: Int, team: String = "a") -> String { String(format: record, i, team, i) }

    func start(_ extra: String = "", sources: String = "") throws -> (RunningServer, URL) {
        let directory = try temporaryDirectory("sluice-ingest")
        let config = directory.appendingPathComponent("sluice.yaml")
        try """
        store: { path: \(directory.appendingPathComponent("sluice.db").path) }
        scoring: { interval: 1h }
        ingest: { poll_interval: 100ms }
        \(sources)
        \(extra)
        """.write(to: config, atomically: true, encoding: .utf8)
        return (try RunningServer(config: config, directory: directory), directory)
    }

    func source(_ server: RunningServer, _ name: String) async throws -> [String: Any] {
        let status = try await server.json("/v1/status")
        return (status["sources"] as? [[String: Any]])?.first { $0["name"] as? String == name } ?? [:]
    }

    @Test(.enabled(if: !genericAPIBodies.isEmpty))
    func takesWhatLiteLLMPostsOnceEvenWhenResent() async throws {
        let (server, _) = try start()
        var expected = 0
        for body in Self.genericAPIBodies {
            let answer = try await http(
                "POST", server.url + "/v1/ingest", headers: ["Content-Type": "application/json"], body: body)
            #expect(answer.status == 202, "\(answer.text)")
            let count = (try JSONSerialization.jsonObject(with: body) as? [Any])?.count ?? 0
            #expect(answer.json["accepted"] as? Int == count)
            #expect(answer.json["duplicate"] as? Bool == false)
            expected += count
        }
        #expect(try await source(server, "http")["lines"] as? Int == expected)
        // LiteLLM, or a proxy in between, sends a batch again: it is not counted twice.
        let again = try await http("POST", server.url + "/v1/ingest", body: Self.genericAPIBodies[0])
        #expect(again.status == 202)
        #expect(again.json["duplicate"] as? Bool == true)
        #expect(try await source(server, "http")["lines"] as? Int == expected)
        #expect(server.stop() == 0)
    }

    @Test func takesNDJSONReportsBadLinesByIndexAndCommitsTheGoodOnes() async throws {
        let (server, _) = try start()
        let body = [Self.record(1), "{not json", "", Self.record(2), #"{"startTime": 1795630636.6}"#].joined(
            separator: "\n")
        let answer = try await http("POST", server.url + "/v1/ingest?source=gw", body: Data(body.utf8))
        #expect(answer.status == 400)
        #expect(answer.json["accepted"] as? Int == 2)
        #expect(answer.json["rejected"] as? Int == 2)
        let errors = answer.json["errors"] as? [[String: Any]] ?? []
        #expect(errors.map { $0["index"] as? Int } == [1, 4])
        #expect(errors.map { $0["reason"] as? String } == ["not_json", "missing_account"])
        let gw = try await source(server, "gw")
        #expect(gw["lines"] as? Int == 2)
        #expect(gw["bad_by_reason"] as? [String: Int] == ["not_json": 1, "missing_account": 1])
        let metrics = try await http(server.url + "/metrics").text
        #expect(
            metrics.contains(#"sluice_bad_lines{source="gw",reason="not_json"} 1"#)
                || metrics.contains(#"sluice_bad_lines{reason="not_json",source="gw"} 1"#))
        // One object, and an Idempotency-Key that makes a different body a resend.
        let one = try await http(
            "POST", server.url + "/v1/ingest?source=gw", headers: ["Idempotency-Key": "batch-7"],
            body: Data(Self.record(3).utf8))
        #expect(one.status == 202)
        let resent = try await http(
            "POST", server.url + "/v1/ingest?source=gw", headers: ["Idempotency-Key": "batch-7"],
            body: Data((Self.record(3) + "\n").utf8))
        #expect(resent.json["duplicate"] as? Bool == true)
        #expect(try await source(server, "gw")["lines"] as? Int == 3)
        // The openai format, by query.
        let openai =
            #"{"ts": 1795630000, "account": "acme", "request": {"messages": [{"role": "user", "content": "x"}]}}"#
        let typed = try await http(
            "POST", server.url + "/v1/ingest?format=openai&source=oa", body: Data("[\(openai)]".utf8))
        #expect(typed.status == 202)
        #expect(try await server.json("/v1/accounts/acme")["requests"] as? Int == 1)
        let unknown = try await http("POST", server.url + "/v1/ingest?format=csv", body: Data("[]".utf8))
        #expect(unknown.status == 400 && unknown.errorCode == "bad_request")
        let broken = try await http("POST", server.url + "/v1/ingest", body: Data("[{\"a\": 1}, ".utf8))
        #expect(broken.status == 400)
        let empty = try await http("POST", server.url + "/v1/ingest", body: Data())
        #expect(empty.status == 400)
        #expect(server.stop() == 0)
    }

    @Test func refusesABodyOverTheLimitWith413() async throws {
        let (server, _) = try start("server: { max_body_bytes: 4096 }")
        let body = "[" + (0..<40).map { Self.record($0) }.joined(separator: ",") + "]"
        let answer = try await http("POST", server.url + "/v1/ingest", body: Data(body.utf8))
        #expect(answer.status == 413)
        #expect(answer.errorCode == "too_large")
        #expect(try await server.json("/v1/status")["lines"] as? Int == 0)
        #expect(server.stop() == 0)
    }

    @Test func needsAnIngestOrAdminToken() async throws {
        let (server, _) = try start(TestTokens.yaml)
        let body = Data("[\(Self.record(1))]".utf8)
        #expect(try await http("POST", server.url + "/v1/ingest", body: body).status == 401)
        let reader = try await http(
            "POST", server.url + "/v1/ingest", headers: ["Authorization": "Bearer \(TestTokens.reader)"], body: body)
        #expect(reader.status == 403)
        let ingest = try await http(
            "POST", server.url + "/v1/ingest", headers: ["Authorization": "Bearer \(TestTokens.ingest)"], body: body)
        #expect(ingest.status == 202)
        let admin = try await http(
            "POST", server.url + "/v1/ingest", headers: ["Authorization": "Bearer \(TestTokens.admin)"],
            body: Data("[\(Self.record(2))]".utf8))
        #expect(admin.status == 202)
        #expect(server.stop() == 0)
    }

    /// Every kind of bad input from the issue, in one tailed file plus a binary file under the
    /// glob: each counted under its reason in `/v1/status` and `/metrics`; the good lines go in.
    @Test func countsEveryKindOfBadInputBySourceAndReason() async throws {
        let directory = try temporaryDirectory("sluice-bad")
        let logs = directory.appendingPathComponent("logs")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        let good = #"{"ts": 1795630000, "account": "ok", "request": {"messages": [{"role": "user", "content": "x"}]}}"#
        var data = Data()
        func add(_ text: String) { data.append(contentsOf: Array(text.utf8) + [0x0A]) }
        func add(_ bytes: [UInt8]) { data.append(contentsOf: bytes + [0x0A]) }
        add(good)
        add(#"{"ts": 1795630000, account: "ok"}"#)  // invalid JSON
        add(String(good.prefix(40)))  // truncated JSON
        add("[1, 2]")  // wrong shape
        add(#"{"ts": 1795630000, "request": {}}"#)  // missing account
        // tokens as strings
        add(#"{"ts": 1795630000, "account": "ok", "request": {}, "usage": {"prompt_tokens": "3"}}"#)
        add(#"{"ts": 1795630000, "account": "ok", "request": {"messages": null}}"#)  // null messages
        add(#"{"ts": 1795630000, "account": "ok", "request": {}, "usage": {"completion_tokens": -1}}"#)  // negative
        add(#"{"ts": 1e300, "account": "ok", "request": {}}"#)  // huge
        add(
            Array(#"{"ts": 1795630000, "account": "ok", "x": ""#.utf8) + [UInt8](repeating: 0x61, count: 10 << 20)
                + Array(#""}"#.utf8))
        // invalid UTF-8
        add(Array(#"{"ts": 1795630000, "account": "o"#.utf8) + [0xC3, 0x28] + Array(#"", "request": {}}"#.utf8))
        add(Array(#"{"ts": 1795630000, "account": "o"#.utf8) + [0x00] + Array(#"", "request": {}}"#.utf8))  // NUL
        add(good + "\r")  // CRLF: fine
        add("")  // empty
        add("   ")
        add(good)
        try data.write(to: logs.appendingPathComponent("app.jsonl"))
        try Data([0x1F, 0x8B, 0x08, 0x00] + [UInt8](repeating: 0x5A, count: 300)).write(
            to: logs.appendingPathComponent("app.jsonl.1.gz"))
        let config = directory.appendingPathComponent("sluice.yaml")
        try """
        store: { path: \(directory.appendingPathComponent("sluice.db").path) }
        sources: [{ name: app, path: "\(logs.path)/app.jsonl*", format: openai }]
        scoring: { interval: 1h }
        ingest: { poll_interval: 100ms }
        """.write(to: config, atomically: true, encoding: .utf8)
        let server = try RunningServer(config: config, directory: directory)
        let done = try await eventually { try await source(server, "app")["lines"] as? Int == 3 }
        #expect(done)
        let app = try await source(server, "app")
        #expect(
            app["bad_by_reason"] as? [String: Int] == [
                "not_json": 3, "not_object": 1, "missing_account": 1, "wrong_type": 2, "out_of_range": 2,
                "too_long": 1, "invalid_utf8": 1, "binary_file": 1,
            ])
        #expect(app["bad_lines"] as? Int == 12)
        #expect(app["lag_bytes"] as? Int == 0)
        let samples = try await server.json("/v1/status")["bad_line_samples"] as? [[String: Any]] ?? []
        #expect(samples.count == 12)
        #expect(samples.allSatisfy { ($0["detail"] as? String)?.contains("aaaa") == false })
        let metrics = try await http(server.url + "/metrics").text
        for line in [
            #"sluice_bad_lines{source="app",reason="too_long"} 1"#,
            #"sluice_bad_lines{source="app",reason="binary_file"} 1"#,
            #"sluice_ingest_lag_bytes{source="app"} 0"#,
        ] {
            #expect(metrics.contains(line) || metrics.contains(Self.swapLabels(line)), "\(line)")
        }
        #expect(metrics.contains("sluice_ingest_lag_seconds"))
        #expect(server.stop() == 0)
    }

    static func swapLabels(_ line: String) -> String {
        guard let open = line.firstIndex(of: "{"), let close = line.firstIndex(of: "}") else { return line }
        let labels = line[line.index(after: open)..<close].split(separator: ",").reversed().joined(separator: ",")
        return String(line[...open]) + labels + String(line[close...])
    }

    static let python = ["/usr/bin/python3", "/usr/local/bin/python3"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    /// Another process holds the database's write lock: ingestion fails and says so in
    /// `/v1/status`, the HTTP server keeps answering, and once the lock goes every line is in, once.
    @Test(.enabled(if: python != nil, "needs python3 to hold a SQLite lock from another process"))
    func aLockedDatabaseShowsInStatusAndNeverBlocksTheServer() async throws {
        let scratch = try ServeDirectory("sluice-locked")
        let (directory, logs, database, config) = (scratch.directory, scratch.logs, scratch.database, scratch.config)
        try scratch.configure(
            """
            sources: [{ name: app, path: "\(logs.path)/*.jsonl", format: openai }]
            scoring: { interval: 1h }
            ingest: { poll_interval: 100ms }
            """)
        let server = try RunningServer(config: config, directory: directory)
        let line = #"{"ts": 1795630000, "account": "ok", "request": {"messages": [{"role": "user", "content": "x"}]}}"#
        // python3 holds BEGIN IMMEDIATE until its stdin closes.
        let locker = Process()
        locker.executableURL = URL(fileURLWithPath: Self.python!)
        locker.arguments = [
            "-c",
            "import sqlite3,sys; c=sqlite3.connect(sys.argv[1], isolation_level=None); c.execute('BEGIN IMMEDIATE'); "
                + "print('locked', flush=True); sys.stdin.read(); c.execute('COMMIT')",
            database,
        ]
        let stdin = Pipe()
        let stdout = Pipe()
        locker.standardInput = stdin
        locker.standardOutput = stdout
        try locker.run()
        _ = stdout.fileHandleForReading.availableData  // "locked"
        try String(repeating: line + "\n", count: 50).write(
            to: logs.appendingPathComponent("app.jsonl"), atomically: false, encoding: .utf8)
        var slowest = 0.0
        let reported = try await eventually {
            let start = Date()
            let status = try await server.json("/v1/status")
            _ = try await server.get("/healthz")
            slowest = max(slowest, Date().timeIntervalSince(start))
            return (status["last_error"] as? String)?.contains("locked by another process") == true
        }
        #expect(reported)
        #expect(slowest < 10, "the HTTP server waited on the locked store (held until the test lets go)")
        #expect(try await server.json("/v1/status")["lines"] as? Int == 0)
        try stdin.fileHandleForWriting.close()
        locker.waitUntilExit()
        let recovered = try await eventually {
            let status = try await server.json("/v1/status")
            return status["lines"] as? Int == 50 && status["last_error"] == nil
        }
        #expect(recovered)
        let log = (try? String(contentsOf: server.output, encoding: .utf8)) ?? ""
        #expect(log.contains("ingest from app failed, retrying in"))
        #expect(server.stop() == 0)
    }
}
