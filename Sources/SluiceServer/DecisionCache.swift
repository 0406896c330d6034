import Foundation
import Hummingbird
import SluiceCore
import SluiceStore
import Synchronization

/// What `GET /v1/check` answers from: the active decisions and the API-key → account map, in
/// memory. The check never touches SQLite; the snapshot is replaced after every decision made
/// through the API and whenever the store's change sequence moves (auto-blocks, expiries,
/// another process), and the key map is refreshed periodically from `api_keys`.
public final class DecisionCache: Sendable {
    /// A block in force and the 403 body the check answers for it, encoded once.
    public struct ActiveBlock: Sendable {
        public let decision: Decision
        let denial: ByteBuffer

        init(_ decision: Decision) {
            self.decision = decision
            let until = decision.expiresAt.map { " until \(ISO8601DateFormatter().string(from: $0))" } ?? ""
            let body = APIErrorBody(
                code: "blocked", message: "account \(decision.account) is blocked\(until): \(decision.reason)")
            denial = ByteBuffer(bytes: (try? JSONEncoder.sluice.encode(body)) ?? Data())
        }
    }

    struct Snapshot: Sendable {
        /// The change sequence the snapshot is current at; -1 before the first load.
        var head: Int64 = -1
        var blocks: [String: ActiveBlock] = [:]
        var allows: [String: Decision] = [:]
        /// The earliest expiry among the decisions, so the sweeper knows when to look.
        var nextExpiry: Date?
    }

    private let snapshot = Mutex(Snapshot())
    private let keys = Mutex<[String: String]>([:])
    let keyHasher: KeyHasher

    public init(keyHasher: KeyHasher) {
        self.keyHasher = keyHasher
    }

    /// The block in force on `account` at `now`, if any.
    public func block(on account: String, now: Date = Date()) -> ActiveBlock? {
        snapshot.withLock { s in
            guard let block = s.blocks[account] else { return nil }
            if let expires = block.decision.expiresAt, expires <= now { return nil }
            return block
        }
    }

    /// The account an API key was last seen on. Both ids are tried: the keyed hash Sluice gives
    /// keys from `Authorization` headers (nginx format) and the plain SHA-256 hex LiteLLM logs as
    /// `user_api_key_hash`. The raw key is hashed and dropped, never kept.
    public func account(forAPIKey key: String) -> String? {
        let keyed = keyHasher.keyID(forRawKey: key)
        let plain = Digest.sha256Hex(key)
        return keys.withLock { $0[keyed] ?? $0[plain] }
    }

    /// The change sequence the snapshot is current at.
    public var head: Int64 { snapshot.withLock { $0.head } }

    /// Active blocks and allowlist entries in the snapshot.
    public var counts: (blocks: Int, allows: Int) { snapshot.withLock { ($0.blocks.count, $0.allows.count) } }

    /// Whether a decision in the snapshot has lapsed and the store should note it.
    func hasLapsed(now: Date) -> Bool { snapshot.withLock { s in s.nextExpiry.map { $0 <= now } ?? false } }

    /// Replaces the snapshot unless a newer one is already installed (two reloads can finish
    /// out of order).
    func install(_ decisions: [Decision], head: Int64) {
        var next = Snapshot(head: head)
        var blocks: [String: Decision] = [:]
        for d in decisions {
            switch d.kind {
            case .block: blocks[d.account] = Self.longer(blocks[d.account], d)
            case .allow: next.allows[d.account] = Self.longer(next.allows[d.account], d)
            }
            if let expires = d.expiresAt { next.nextExpiry = min(next.nextExpiry ?? expires, expires) }
        }
        next.blocks = blocks.mapValues(ActiveBlock.init)
        snapshot.withLock { s in if head >= s.head { s = next } }
    }

    static func longer(_ a: Decision?, _ b: Decision) -> Decision {
        guard let a else { return b }
        guard let ae = a.expiresAt else { return a }
        guard let be = b.expiresAt else { return b }
        return be > ae ? b : a
    }

    /// Loads the active decisions from the store.
    public func reload(from store: SQLiteStore) async throws {
        let (decisions, head) = try await store.activeDecisions()
        install(decisions, head: head)
    }

    /// Loads the API-key → account map from the store.
    public func reloadKeys(from store: SQLiteStore) async throws {
        let map = try await store.keyAccounts()
        keys.withLock { $0 = map }
    }

    /// Installs a key map directly (tests, benchmarks).
    public func setKeys(_ map: [String: String]) {
        keys.withLock { $0 = map }
    }
}
