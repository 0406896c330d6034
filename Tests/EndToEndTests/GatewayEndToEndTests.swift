import Foundation
import SluiceCore
import SluiceTestSupport
import Testing

let nginxPath = "/usr/sbin/nginx"

/// Real nginx (Debian's nginx-light) in front of a tiny upstream, asking a real `sluice serve`
/// through `auth_request` with the shipped Config/nginx-auth-request.conf.
@Suite(
    .serialized,
    .enabled(if: Products.built, "build the products first: swift build"),
    .enabled(if: FileManager.default.isExecutableFile(atPath: nginxPath), "needs nginx: apt-get install nginx-light"))
struct GatewayEndToEndTests {
    /// nginx with `daemon off` in a temporary prefix. The master process, not `master_process off`:
    /// a child of the test runner inherits blocked signals, and only the master unblocks them.
    final class RunningNginx {
        let process = Process()
        let port: Int
        let prefix: URL

        init(sluicePort: Int, gatewayToken: String) throws {
            prefix = try temporaryDirectory("sluice-nginx")
            for dir in ["tmp", "logs", "conf"] {
                try FileManager.default.createDirectory(
                    at: prefix.appendingPathComponent(dir), withIntermediateDirectories: true)
            }
            port = try freePort()
            let upstreamPort = try freePort()
            let example = try String(
                contentsOf: Products.packageRoot.appendingPathComponent("Config/nginx-auth-request.conf"),
                encoding: .utf8)
            let site =
                example
                .replacingOccurrences(of: "server 127.0.0.1:8780;", with: "server 127.0.0.1:\(sluicePort);")
                .replacingOccurrences(of: "server 127.0.0.1:4000;", with: "server 127.0.0.1:\(upstreamPort);")
                .replacingOccurrences(of: "listen 80;", with: "listen 127.0.0.1:\(port);")
                .replacingOccurrences(of: "REPLACE_WITH_GATEWAY_TOKEN", with: gatewayToken)
            try site.write(to: prefix.appendingPathComponent("conf/sluice.conf"), atomically: true, encoding: .utf8)
            let p = prefix.path
            try """
            daemon off;
            \(getuid() == 0 ? "user root;" : "")
            worker_processes 1;
            pid \(p)/nginx.pid;
            error_log \(p)/logs/error.log warn;
            events { worker_connections 64; }
            http {
                access_log \(p)/logs/access.log;
                client_body_temp_path \(p)/tmp/body;
                proxy_temp_path \(p)/tmp/proxy;
                fastcgi_temp_path \(p)/tmp/fastcgi;
                uwsgi_temp_path \(p)/tmp/uwsgi;
                scgi_temp_path \(p)/tmp/scgi;
                # The tiny upstream: the "LLM API".
                server {
                    listen 127.0.0.1:\(upstreamPort);
                    location / { default_type text/plain; return 200 "upstream ok\\n"; }
                }
                include \(p)/conf/sluice.conf;
            }
            """.write(to: prefix.appendingPathComponent("conf/nginx.conf"), atomically: true, encoding: .utf8)
            process.executableURL = URL(fileURLWithPath: nginxPath)
            process.arguments = ["-p", p, "-c", "\(p)/conf/nginx.conf", "-e", "\(p)/logs/error.log"]
            let log = prefix.appendingPathComponent("logs/stderr.log")
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            let handle = try FileHandle(forWritingTo: log)
            process.standardOutput = handle
            process.standardError = handle
            try process.run()
        }

        var errorLog: String {
            ["logs/stderr.log", "logs/error.log"].map {
                (try? String(contentsOf: prefix.appendingPathComponent($0), encoding: .utf8)) ?? ""
            }.joined()
        }

        /// SIGTERM (fast shutdown), then SIGKILL if nginx is still there after 5 s.
        func stop() {
            guard process.isRunning else { return }
            kill(process.processIdentifier, SIGTERM)
            for _ in 0..<100 where process.isRunning { Thread.sleep(forTimeInterval: 0.05) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }

        deinit { if process.isRunning { process.terminate() } }
    }

    @Test func nginxRefusesABlockedAccountsKeyUntilItIsUnblocked() async throws {
        let directory = try temporaryDirectory("sluice-gateway")
        try FileManager.default.createDirectory(
            at: directory.appendingPathComponent("logs"), withIntermediateDirectories: true)
        // Keys as LiteLLM logs them (plain SHA-256 hex), in Sluice's openai format.
        let harvesterKey = "sk-harvester-\(UUID().uuidString)"
        let customerKey = "sk-customer-\(UUID().uuidString)"
        let now = Date().timeIntervalSince1970
        func line(_ account: String, _ key: String, _ i: Int) -> String {
            let request = #"{"model":"gpt-4o","messages":[{"role":"user","content":"question \#(i)"}]}"#
            return #"{"ts":\#(now - 60 + Double(i)),"account":"\#(account)","api_key_id":"\#(Digest.sha256Hex(key))","#
                + #""status":200,"request":\#(request),"usage":{"prompt_tokens":10,"completion_tokens":500}}"#
        }
        let lines =
            (0..<3).map { line("acct-harvester", harvesterKey, $0) }
            + (0..<3).map { line("acct-customer", customerKey, $0) }
        try (lines.joined(separator: "\n") + "\n").write(
            to: directory.appendingPathComponent("logs/api.jsonl"), atomically: true, encoding: .utf8)
        let config = directory.appendingPathComponent("sluice.yaml")
        try """
        store: { path: \(directory.appendingPathComponent("sluice.db").path) }
        sources:
          - { name: api, path: "\(directory.path)/logs/*.jsonl", format: openai }
        ingest: { poll_interval: 100ms }
        \(TestTokens.yaml)
        """.write(to: config, atomically: true, encoding: .utf8)
        let sluice = try RunningServer(config: config, directory: directory)
        defer { _ = sluice.stop() }
        // On a busy machine another process can take a port between choosing it and nginx binding
        // it: start nginx again on fresh ports rather than fail on the race.
        var nginx = try RunningNginx(sluicePort: sluice.port, gatewayToken: TestTokens.gateway)
        defer { nginx.stop() }
        var front: String { "http://127.0.0.1:\(nginx.port)/v1/chat/completions" }
        func through(_ key: String, _ extra: [String: String] = [:]) async throws -> HTTPAnswer {
            try await http(front, headers: ["Authorization": "Bearer \(key)"].merging(extra) { $1 })
        }
        var lastAnswer = "no answer yet"
        var up = false
        for attempt in 1...3 {
            up = try await eventually(within: 30) {
                do {
                    let answer = try await through(customerKey)
                    lastAnswer = "status \(answer.status): \(answer.text.prefix(200))"
                    return answer.status == 200
                } catch {
                    lastAnswer = "\(error)"
                    return false
                }
            }
            if up || attempt == 3 { break }
            nginx.stop()
            nginx = try RunningNginx(sluicePort: sluice.port, gatewayToken: TestTokens.gateway)
        }
        #expect(
            up,
            "nginx did not come up (last answer: \(lastAnswer); nginx running: \(nginx.process.isRunning)): \(nginx.errorLog)"
        )
        let first = try await through(customerKey)
        #expect(first.text == "upstream ok\n")
        #expect(try await through(harvesterKey).status == 200)
        let ingested = try await eventually {
            let status = try await http(
                sluice.url + "/v1/status", headers: ["Authorization": "Bearer \(TestTokens.reader)"])
            return status.json["lines"] as? Int == 6
        }
        #expect(ingested)

        let env = ["SLUICE_SERVER": sluice.url, "SLUICE_TOKEN": TestTokens.admin]
        let block = try run(
            Products.sluicectl, ["block", "acct-harvester", "--reason", "distillation"], environment: env)
        #expect(block.status == 0, "\(block.stderr)")

        // The key map refreshes within seconds of ingest; then the harvester's key is refused.
        let refused = try await eventually { try await through(harvesterKey).status == 403 }
        #expect(refused, "nginx kept allowing the blocked account's key: \(nginx.errorLog)")
        let denial = try await through(harvesterKey)
        #expect(denial.errorCode == "blocked")
        #expect(try await through(customerKey).status == 200)
        #expect(try await through("sk-never-seen").status == 200, "unknown keys are allowed")
        // A client cannot name another account to slip past: nginx clears X-Sluice-Account.
        #expect(try await through(harvesterKey, ["X-Sluice-Account": "acct-customer"]).status == 403)

        let unblock = try run(
            Products.sluicectl, ["unblock", "acct-harvester", "--reason", "resolved"], environment: env)
        #expect(unblock.status == 0, "\(unblock.stderr)")
        #expect(try await through(harvesterKey).status == 200, "an unblock takes effect at once")
        #expect(try await through(customerKey).status == 200)

        let serveLog = try String(contentsOf: sluice.output, encoding: .utf8)
        #expect(!serveLog.contains(harvesterKey) && !serveLog.contains(TestTokens.gateway))
    }
}
