import Foundation
import Hummingbird
import Logging
import SluiceCore
import SluiceIngest
import SluiceStore
import SluiceTestSupport
import Testing

@testable import SluiceServer

let packageRoot: URL = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url
}()

func makeAPI(_ configuration: Configuration = Configuration()) throws -> SluiceAPI {
    let directory = try scratchDirectory("sluice-server")
    let store = try SQLiteStore(path: directory.appendingPathComponent("test.db").path)
    let logger = Logger(label: "test")
    let scoring = ScoringRunner(
        store: store, scorer: Scorer(policy: ScoringPolicy()), eventInterval: 900, logger: logger)
    return SluiceAPI(store: store, tailers: [], scoring: scoring, configuration: configuration, logger: logger)
}

/// The `paths:` of openapi.yaml as `METHOD /path`, read from its layout (two-space path keys,
/// four-space method keys): no YAML parser needed for a file we write.
func documentedRoutes() throws -> Set<String> {
    let text = try String(contentsOf: packageRoot.appendingPathComponent("openapi.yaml"), encoding: .utf8)
    var routes: Set<String> = []
    var inPaths = false
    var path: String?
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
        if line == "paths:" {
            inPaths = true
            continue
        }
        guard inPaths else { continue }
        if !line.hasPrefix(" ") && !line.isEmpty { break }
        if line.hasPrefix("  /"), line.hasSuffix(":"), !line.hasPrefix("   ") {
            path = String(line.dropFirst(2).dropLast())
        } else if let path, line.hasPrefix("    "), !line.hasPrefix("     "), line.hasSuffix(":") {
            let method = line.trimmingCharacters(in: .whitespaces).dropLast()
            if ["get", "post", "put", "delete", "patch"].contains(method) {
                routes.insert("\(method.uppercased()) \(path)")
            }
        }
    }
    return routes
}

@Suite struct OpenAPITests {
    @Test func everyRouteOfTheRouterIsInOpenAPIYAML() throws {
        let api = try makeAPI()
        let registered = Set(api.buildRouter().routes.map { "\($0.method) \($0.path)" })
        let documented = try documentedRoutes()
        #expect(registered.count >= 14)
        #expect(
            registered.subtracting(documented).isEmpty, "undocumented: \(registered.subtracting(documented).sorted())")
    }

    @Test func everyRouteOfTheRouterHasAnAccessRule() throws {
        let api = try makeAPI()
        let registered = Set(api.buildRouter().routes.map { "\($0.method) \($0.path)" })
        let ruled = Set(api.routes.map { "\($0.method) \($0.path)" })
        #expect(registered.subtracting(ruled).isEmpty, "no access rule: \(registered.subtracting(ruled).sorted())")
        #expect(try documentedRoutes().isSuperset(of: ruled))
    }
}

@Suite struct AuthTests {
    @Test func aTokenIsKnownByItsSHA256AndNothingElse() throws {
        let tree: [String: Any] = [
            "auth": [
                "tokens": [
                    ["name": "ops", "role": "admin", "sha256": Digest.sha256Hex("admin-secret")],
                    ["name": "edge", "role": "gateway", "sha256": Digest.sha256Hex("gateway-secret").uppercased()],
                ]
            ]
        ]
        let authenticator = Authenticator(tokens: try Configuration(tree: tree).tokens)
        #expect(authenticator.identify("admin-secret") == Identity(name: "ops", role: .admin))
        #expect(authenticator.identify("gateway-secret") == Identity(name: "edge", role: .gateway))
        #expect(authenticator.identify("admin-secreT") == nil)
        #expect(authenticator.identify(Digest.sha256Hex("admin-secret")) == nil, "the stored hash is not a token")
        #expect(authenticator.identify("") == nil)
        #expect(!authenticator.isOpen && Authenticator(tokens: []).isOpen)
    }
}

@Suite struct DecisionCacheTests {
    let t0 = Date(timeIntervalSince1970: 1_795_630_000)

    func decision(_ id: Int64, _ account: String, _ kind: Decision.Kind = .block, expires: Date? = nil) -> Decision {
        Decision(
            id: id, account: account, kind: kind, actor: "ops", reason: "r\(id)", createdAt: t0, expiresAt: expires)
    }

    @Test func aBlockLapsesAtItsExpiryWithoutAReload() {
        let cache = DecisionCache(keyHasher: KeyHasher(secret: "s"))
        cache.install([decision(1, "a", expires: t0 + 60), decision(2, "b"), decision(3, "c", .allow)], head: 3)
        #expect(cache.block(on: "a", now: t0 + 59)?.decision.id == 1)
        #expect(cache.block(on: "a", now: t0 + 60) == nil)
        #expect(cache.block(on: "b", now: t0 + 1_000_000)?.decision.id == 2)
        #expect(cache.block(on: "c", now: t0) == nil)
        #expect(cache.hasLapsed(now: t0 + 60) && !cache.hasLapsed(now: t0 + 59))
        #expect(cache.counts == (blocks: 2, allows: 1))
    }

    @Test func anOlderSnapshotNeverReplacesANewerOne() {
        let cache = DecisionCache(keyHasher: KeyHasher(secret: "s"))
        cache.install([], head: 5)
        cache.install([decision(1, "a")], head: 4)
        #expect(cache.block(on: "a", now: t0) == nil && cache.head == 5)
    }

    @Test func anAPIKeyMapsToItsAccountByKeyedHashOrByPlainSHA256() {
        let hasher = KeyHasher(secret: "deployment-secret")
        let cache = DecisionCache(keyHasher: hasher)
        cache.setKeys([
            hasher.keyID(forRawKey: "sk-nginx"): "acct-nginx", Digest.sha256Hex("sk-litellm"): "acct-litellm",
        ])
        #expect(cache.account(forAPIKey: "sk-nginx") == "acct-nginx")
        #expect(cache.account(forAPIKey: "sk-litellm") == "acct-litellm")
        #expect(cache.account(forAPIKey: "sk-unknown") == nil)
    }

    @Test func theDenialNamesTheAccountAndTheReason() throws {
        let cache = DecisionCache(keyHasher: KeyHasher(secret: "s"))
        cache.install([decision(7, "acct \"x\"")], head: 1)
        let block = try #require(cache.block(on: "acct \"x\"", now: t0))
        let body = try JSONDecoder.sluice.decode(APIErrorBody.self, from: Data(block.denial.readableBytesView))
        #expect(body.error.code == "blocked")
        #expect(body.error.message == "account acct \"x\" is blocked: r7")
    }
}

@Suite struct PolicyTests {
    func seed(_ api: SluiceAPI, _ accounts: [String]) async throws {
        let items = accounts.map { account -> (RequestRecord, RequestFeatures) in
            let record = RequestRecord(
                time: 1_795_630_000, account: account, messages: [ChatMessage(role: "user", text: "q")])
            return (record, RequestFeatures(record))
        }
        _ = try await api.store.commit(items, progress: IngestProgress(source: "t"))
    }

    func assessments(_ levels: [String: Level]) -> [Assessment] {
        levels.map { Assessment(account: $0.key, score: $0.value == .block ? 0.9 : 0.5, level: $0.value, reasons: []) }
    }

    @Test func shadowModeNeverBlocks() async throws {
        let api = try makeAPI()
        try await seed(api, ["h"])
        await api.applyPolicy(assessments(["h": .block]))
        #expect(try await api.store.activeAccounts(.block).isEmpty)
    }

    @Test func autoBlockBlocksAtTheLevelForTheDurationAndTheCheckSeesIt() async throws {
        var configuration = Configuration()
        configuration.policy.autoBlock = true
        configuration.policy.level = .block
        configuration.policy.duration = 3600
        let api = try makeAPI(configuration)
        try await seed(api, ["h", "r"])
        try await api.prepareDecisions()
        let now = Date()
        await api.applyPolicy(assessments(["h": .block, "r": .review]), now: now)
        let blocks = try await api.store.activeDecisions(.block)
        #expect(blocks.map(\.account) == ["h"])
        #expect(blocks.first?.actor == "sluice-auto")
        #expect(abs((blocks.first?.expiresAt ?? now).timeIntervalSince(now + 3600)) < 0.001)
        #expect(api.decisions.block(on: "h") != nil && api.decisions.block(on: "r") == nil)
    }
}
