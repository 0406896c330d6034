import Foundation

// The JSON shapes of decisions, the audit log and the gateway blocklist, shared by the server and
// `sluicectl`. Keys are snake_case; times are ISO 8601 strings.

/// `POST /v1/blocks` and `POST /v1/allowlist`.
public struct DecisionRequest: Codable, Sendable, Equatable {
    public var account: String
    public var reason: String
    /// How long the decision holds: `7d`, `12h`, `30m`, or seconds. Absent: until revoked.
    public var duration: String?

    public init(account: String, reason: String, duration: String? = nil) {
        self.account = account
        self.reason = reason
        self.duration = duration
    }
}

/// The body of `DELETE /v1/blocks/{id}` and `DELETE /v1/allowlist/{id}`.
public struct RevokeRequest: Codable, Sendable, Equatable {
    public var reason: String
    public init(reason: String) { self.reason = reason }
}

/// `GET /v1/blocks` and `GET /v1/allowlist`: the active decisions, newest first.
public struct DecisionList: Codable, Sendable, Equatable {
    public var decisions: [Decision]
    public init(decisions: [Decision]) { self.decisions = decisions }
}

/// One line of the audit log: who did what to which account, and why.
public struct AuditEntry: Codable, Sendable, Equatable {
    public var id: Int64
    public var at: Date
    /// The token's name, `anonymous` with auth off, `sluice-auto` for policy blocks, `sluice` for expiries.
    public var actor: String
    /// `block`, `unblock`, `allow`, `disallow`, `expire`.
    public var action: String
    public var account: String?
    public var reason: String?
    /// The decision the action created or revoked.
    public var decision: Int64?
    public var detail: String?

    public init(
        id: Int64, at: Date, actor: String, action: String, account: String?, reason: String?, decision: Int64?,
        detail: String?
    ) {
        self.id = id
        self.at = at
        self.actor = actor
        self.action = action
        self.account = account
        self.reason = reason
        self.decision = decision
        self.detail = detail
    }
}

/// `GET /v1/audit`: newest first; pass `next_cursor` back as `cursor` for older entries.
public struct AuditPage: Codable, Sendable, Equatable {
    public var entries: [AuditEntry]
    public var nextCursor: String?

    public init(entries: [AuditEntry], nextCursor: String?) {
        self.entries = entries
        self.nextCursor = nextCursor
    }

    enum CodingKeys: String, CodingKey {
        case entries
        case nextCursor = "next_cursor"
    }
}

/// An account a gateway should refuse, in `GET /v1/blocklist`.
public struct BlocklistEntry: Codable, Sendable, Equatable {
    public var account: String
    /// When the block lapses by itself; absent: until revoked.
    public var expiresAt: Date?

    public init(account: String, expiresAt: Date?) {
        self.account = account
        self.expiresAt = expiresAt
    }

    enum CodingKeys: String, CodingKey {
        case account
        case expiresAt = "expires_at"
    }
}

/// `GET /v1/blocklist?since=CURSOR`: what changed since the cursor. Each account appears at most
/// once, in `added` if it is blocked now and in `removed` if it is not. With `full`, `added` is
/// the whole blocklist and the gateway replaces its set (first poll, or a cursor from another database).
public struct BlocklistDelta: Codable, Sendable, Equatable {
    public var cursor: String
    public var full: Bool
    public var added: [BlocklistEntry]
    public var removed: [String]

    public init(cursor: String, full: Bool, added: [BlocklistEntry], removed: [String]) {
        self.cursor = cursor
        self.full = full
        self.added = added
        self.removed = removed
    }
}
