import Foundation
import SluiceCore
import Testing

/// Blocks, the allowlist, audit, auth and the check against the real `sluice serve` and `sluicectl`.
@Suite(.serialized, .enabled(if: Products.built, "build the products first: swift build"))
struct DecisionsEndToEndTests {
    func start(_ directory: URL) throws -> RunningServer {
        let config = directory.appendingPathComponent("sluice.yaml")
        try """
        store: { path: \(directory.appendingPathComponent("sluice.db").path) }
        \(TestTokens.yaml)
        """.write(to: config, atomically: true, encoding: .utf8)
        return try RunningServer(config: config, directory: directory)
    }

    func bearer(_ token: String) -> [String: String] { ["Authorization": "Bearer \(token)"] }

    @Test func tokensAreCheckedByRoleAndHeader() async throws {
        let server = try start(try temporaryDirectory("sluice-auth"))
        let url = server.url
        #expect(try await http(url + "/healthz").status == 200)
        #expect(try await http(url + "/metrics").status == 200)

        let anonymous = try await http(url + "/v1/blocks")
        #expect(anonymous.status == 401 && anonymous.errorCode == "unauthorized")
        #expect(try await http(url + "/v1/blocks", headers: bearer("not-a-token")).status == 401)
        #expect(try await http(url + "/v1/blocks", headers: bearer(TestTokens.reader)).status == 200)
        #expect(try await http(url + "/v1/status", headers: bearer(TestTokens.reader)).status == 200)
        let wrongRole = try await http(url + "/v1/blocks", headers: bearer(TestTokens.gateway))
        #expect(wrongRole.status == 403 && wrongRole.errorCode == "forbidden")
        #expect(try await http(url + "/v1/blocks", headers: bearer(TestTokens.ingest)).status == 403)

        let body = jsonBody(["account": "acct-1", "reason": "harvesting"])
        let byReader = try await http("POST", url + "/v1/blocks", headers: bearer(TestTokens.reader), body: body)
        #expect(byReader.status == 403)
        let byAdmin = try await http("POST", url + "/v1/blocks", headers: bearer(TestTokens.admin), body: body)
        #expect(byAdmin.status == 201)
        #expect(byAdmin.json["actor"] as? String == "ops" && byAdmin.json["account"] as? String == "acct-1")

        // The check reads its token from X-Sluice-Token only: Authorization is the customer's key.
        let account = ["X-Sluice-Account": "acct-1"]
        #expect(try await http(url + "/v1/check", headers: account).status == 401)
        #expect(
            try await http(url + "/v1/check", headers: account.merging(bearer(TestTokens.admin)) { $1 }).status == 401)
        let reader = try await http(
            url + "/v1/check", headers: account.merging(["X-Sluice-Token": TestTokens.reader]) { $1 })
        #expect(reader.status == 403 && reader.errorCode == "forbidden")
        let gateway = account.merging(["X-Sluice-Token": TestTokens.gateway]) { $1 }
        let blocked = try await http(url + "/v1/check", headers: gateway)
        #expect(blocked.status == 403 && blocked.errorCode == "blocked")
        #expect(blocked.text.contains("harvesting"))
        #expect(
            try await http(
                url + "/v1/check", headers: ["X-Sluice-Account": "acct-2", "X-Sluice-Token": TestTokens.gateway]
            ).status == 204)
        #expect(try await http(url + "/v1/check", headers: ["X-Sluice-Token": TestTokens.gateway]).status == 204)
        // Gateways poll the blocklist with their token.
        let list = try await http(url + "/v1/blocklist", headers: ["X-Sluice-Token": TestTokens.gateway])
        #expect(
            list.status == 200 && (list.json["added"] as? [[String: Any]])?.first?["account"] as? String == "acct-1")

        let log = try String(contentsOf: server.output, encoding: .utf8)
        for secret in [TestTokens.admin, TestTokens.reader, TestTokens.gateway, TestTokens.ingest] {
            #expect(!log.contains(secret), "a token must never be logged")
        }
        #expect(server.stop() == 0)
    }

    @Test func badBodiesAreAnsweredWithJSONErrors() async throws {
        let server = try start(try temporaryDirectory("sluice-bodies"))
        let admin = bearer(TestTokens.admin)
        let broken = try await http("POST", server.url + "/v1/blocks", headers: admin, body: Data("{\"account\":".utf8))
        #expect(broken.status == 400 && broken.errorCode == "bad_json")
        let missing = try await http(
            "POST", server.url + "/v1/blocks", headers: admin, body: jsonBody(["account": "a"]))
        #expect(missing.status == 400 && missing.text.contains("reason"))
        let duration = jsonBody(["account": "a", "reason": "r", "duration": "soon"])
        #expect(try await http("POST", server.url + "/v1/blocks", headers: admin, body: duration).status == 400)
        let huge = jsonBody(["account": "a", "reason": String(repeating: "x", count: 200_000)])
        let tooLarge = try await http("POST", server.url + "/v1/blocks", headers: admin, body: huge)
        #expect(tooLarge.status == 413 && tooLarge.errorCode == "too_large")
        let noRoute = try await http(server.url + "/v1/nothing-here", headers: admin)
        #expect(noRoute.status == 404 && noRoute.errorCode == "not_found")
        let unblockNothing = try await http(
            "DELETE", server.url + "/v1/blocks/nobody", headers: admin, body: jsonBody(["reason": "r"]))
        #expect(unblockNothing.status == 404)
        #expect(server.stop() == 0)
    }

    @Test func sluicectlBlocksUnblocksAllowsAndAuditsAndDecisionsSurviveARestart() async throws {
        let directory = try temporaryDirectory("sluice-ctl")
        var server = try start(directory)
        var env = ["SLUICE_SERVER": server.url, "SLUICE_TOKEN": TestTokens.admin]
        func ctl(_ arguments: String...) throws -> CommandResult {
            try run(Products.sluicectl, arguments, environment: env)
        }

        let block = try ctl("block", "acct-h", "--reason", "harvesting math", "--for", "7d")
        #expect(block.status == 0, "\(block.stderr)")
        #expect(block.stdout.contains("acct-h") && block.stdout.contains("ops"))
        let blocks = try ctl("blocks", "--json")
        let list = try JSONDecoder.sluice.decode(DecisionList.self, from: Data(blocks.stdout.utf8))
        #expect(list.decisions.map(\.account) == ["acct-h"])
        let expires = try #require(list.decisions.first?.expiresAt)
        #expect(abs(expires.timeIntervalSinceNow - 7 * 86400) < 60)

        #expect(try ctl("allow", "acct-eval", "--reason", "our eval harness").status == 0)
        let conflict = try ctl("allow", "acct-h", "--reason", "x")
        #expect(conflict.status == 1 && conflict.stderr.hasPrefix("sluicectl: account acct-h is blocked"))
        #expect(conflict.stderr.split(separator: "\n").count == 1)
        #expect(try ctl("allowlist").stdout.contains("acct-eval"))

        // Restart: decisions are in the store.
        #expect(server.stop() == 0)
        server = try start(directory)
        env["SLUICE_SERVER"] = server.url
        let check = try await http(
            server.url + "/v1/check", headers: ["X-Sluice-Account": "acct-h", "X-Sluice-Token": TestTokens.gateway])
        #expect(check.status == 403)

        #expect(try ctl("unblock", "acct-h", "--reason", "customer explained").status == 0)
        #expect(try ctl("disallow", "acct-eval", "--reason", "harness retired").status == 0)
        #expect(try ctl("blocks").stdout == "no blocks\n")
        #expect(try ctl("allowlist").stdout == "no allowlisted accounts\n")
        let again = try ctl("unblock", "acct-h", "--reason", "twice")
        #expect(again.status == 1 && again.stderr.contains("no active block"))

        let audit = try JSONDecoder.sluice.decode(AuditPage.self, from: Data(try ctl("audit", "--json").stdout.utf8))
        #expect(audit.entries.map(\.action) == ["disallow", "unblock", "allow", "block"])
        #expect(audit.entries.allSatisfy { $0.actor == "ops" })
        #expect(audit.entries[1].reason == "customer explained")
        #expect(try ctl("audit", "--account", "acct-h").stdout.contains("customer explained"))

        // Wrong role: one line, exit 1. Usage: exit 2.
        env["SLUICE_TOKEN"] = TestTokens.reader
        let forbidden = try ctl("block", "acct-x", "--reason", "r")
        #expect(forbidden.status == 1 && forbidden.stderr.contains("(403 forbidden)"))
        #expect(try ctl("blocks").status == 0)
        #expect(try ctl("block", "acct-x").status == 2)
        #expect(try ctl("block", "acct-x", "--reason", "r", "--for", "a while").status == 2)
        #expect(server.stop() == 0)
    }
}
