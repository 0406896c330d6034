import Testing

@testable import SluiceCore

@Suite struct ConfigurationTests {
    @Test func readsAFullTree() throws {
        let tree: [String: Any] = [
            "store": ["path": "/var/lib/sluice/sluice.db"],
            "sources": [
                ["path": "logs/*.jsonl", "format": "nginx", "account": ["request_body.user"], "start_at": "end"]
            ],
            "server": ["host": "0.0.0.0", "port": 9000],
            "scoring": ["interval": "45s", "event_interval": "1h", "review": 0.6],
            "policy": ["auto_block": true, "duration": "7d"],
        ]
        let c = try Configuration(tree: tree)
        #expect(c.storePath == "/var/lib/sluice/sluice.db")
        #expect(
            c.sources == [
                Configuration.Source(
                    name: "source0", path: "logs/*.jsonl", format: .nginx, account: [FieldPath("request_body.user")],
                    startAt: .end)
            ])
        #expect(c.server.port == 9000 && c.scoring.interval == 45 && c.scoring.eventInterval == 3600)
        #expect(c.policy.autoBlock && c.policy.duration == 7 * 86400 && c.scoring.policy.review == 0.6)
    }

    @Test func namesTheWrongKeyTypeOrValue() {
        let cases: [([String: Any], String)] = [
            (["stor": [:] as [String: Any]], "stor"),
            (["server": ["port": "eighty"]], "server.port"),
            (["server": ["port": 70000]], "server.port"),
            (["sources": [["path": "x", "format": "jsonl"]]], "sources[0].format"),
            (["sources": [["path": "x", "format": "litellm", "start_at": "middle"]]], "sources[0].start_at"),
            (["scoring": ["interval": "soon"]], "scoring.interval"),
            (
                ["auth": ["tokens": [["name": "a", "role": "root", "sha256": String(repeating: "a", count: 64)]]]],
                "auth.tokens[0].role"
            ),
        ]
        for (tree, path) in cases {
            do {
                _ = try Configuration(tree: tree)
                Issue.record("accepted a bad config at \(path)")
            } catch {
                #expect(error.path == path)
                #expect(!error.message.isEmpty)
            }
        }
    }
}
