import Foundation

// The JSON shapes of the REST API, shared by the server and `sluicectl`. Keys are snake_case;
// times are ISO 8601 strings.

public struct FlaggedAccount: Codable, Sendable, Equatable {
    public var account: String
    public var score: Double
    public var level: Level
    public var reasons: [Reason]
    public var cluster: String?
    public var requests: Int64
    public var firstSeen: Date?
    public var lastSeen: Date?
    public var firstFlaggedAt: Date?
    public var requestsAtFlag: Int64?
    public var blocked: Bool

    public init(
        account: String, score: Double, level: Level, reasons: [Reason], cluster: String?, requests: Int64,
        firstSeen: Date?, lastSeen: Date?, firstFlaggedAt: Date?, requestsAtFlag: Int64?, blocked: Bool
    ) {
        self.account = account
        self.score = score
        self.level = level
        self.reasons = reasons
        self.cluster = cluster
        self.requests = requests
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.firstFlaggedAt = firstFlaggedAt
        self.requestsAtFlag = requestsAtFlag
        self.blocked = blocked
    }

    enum CodingKeys: String, CodingKey {
        case account, score, level, reasons, cluster, requests, blocked
        case firstSeen = "first_seen"
        case lastSeen = "last_seen"
        case firstFlaggedAt = "first_flagged_at"
        case requestsAtFlag = "requests_at_flag"
    }
}

public struct FlaggedPage: Codable, Sendable {
    public var flagged: [FlaggedAccount]
    public var nextCursor: String?
    public init(flagged: [FlaggedAccount], nextCursor: String?) {
        self.flagged = flagged
        self.nextCursor = nextCursor
    }
    enum CodingKeys: String, CodingKey {
        case flagged
        case nextCursor = "next_cursor"
    }
}

public struct ScorePoint: Codable, Sendable, Equatable {
    public var at: Date
    public var score: Double
    public var level: Level
    public init(at: Date, score: Double, level: Level) {
        self.at = at
        self.score = score
        self.level = level
    }
}

/// One hour of an account's traffic, from its hourly counters (`account_buckets`), by event time.
public struct ActivityHour: Codable, Sendable, Equatable {
    /// The start of the hour.
    public var hour: Date
    public var requests: Int64
    /// Failed requests, rate limits (429) included.
    public var errors: Int64
    public var promptTokens: Int64
    public var completionTokens: Int64

    public init(hour: Date, requests: Int64, errors: Int64, promptTokens: Int64, completionTokens: Int64) {
        self.hour = hour
        self.requests = requests
        self.errors = errors
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
    }

    enum CodingKeys: String, CodingKey {
        case hour, requests, errors
        case promptTokens = "prompt_tokens"
        case completionTokens = "completion_tokens"
    }
}

/// `GET /v1/accounts/{id}`.
public struct AccountDetail: Codable, Sendable {
    public var account: String
    public var parent: String?
    public var requests: Int64
    public var firstSeen: Date?
    public var lastSeen: Date?
    public var score: Double?
    public var level: Level?
    public var reasons: [Reason]
    public var cluster: String?
    public var clusterMembers: [String]
    public var firstFlaggedAt: Date?
    public var requestsAtFlag: Int64?
    /// The counters, all time, by name.
    public var features: [String: Double]
    /// End-user entities inside the account (`account::user`), busiest first.
    public var endUsers: [String]
    /// Key entities of a multi-key account (`account::key:KEY_ID`), busiest first.
    public var apiKeys: [String]
    public var decisions: [Decision]
    public var scoreHistory: [ScorePoint]
    /// The hours with traffic in the account's last `activityHours` hours of event time, oldest first.
    public var activity: [ActivityHour]
    public var blocked: Bool

    /// How far back `activity` goes from the account's last request: a week.
    public static let activityHours: Int64 = 168

    public init(
        account: String, parent: String?, requests: Int64, firstSeen: Date?, lastSeen: Date?, score: Double?,
        level: Level?, reasons: [Reason], cluster: String?, clusterMembers: [String], firstFlaggedAt: Date?,
        requestsAtFlag: Int64?, features: [String: Double], endUsers: [String], apiKeys: [String] = [],
        decisions: [Decision],
        scoreHistory: [ScorePoint], activity: [ActivityHour] = [], blocked: Bool
    ) {
        self.account = account
        self.parent = parent
        self.requests = requests
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.score = score
        self.level = level
        self.reasons = reasons
        self.cluster = cluster
        self.clusterMembers = clusterMembers
        self.firstFlaggedAt = firstFlaggedAt
        self.requestsAtFlag = requestsAtFlag
        self.features = features
        self.endUsers = endUsers
        self.apiKeys = apiKeys
        self.decisions = decisions
        self.scoreHistory = scoreHistory
        self.activity = activity
        self.blocked = blocked
    }

    enum CodingKeys: String, CodingKey {
        case account, parent, requests, score, level, reasons, cluster, features, decisions, activity, blocked
        case firstSeen = "first_seen"
        case lastSeen = "last_seen"
        case clusterMembers = "cluster_members"
        case firstFlaggedAt = "first_flagged_at"
        case requestsAtFlag = "requests_at_flag"
        case endUsers = "end_users"
        case apiKeys = "api_keys"
        case scoreHistory = "score_history"
    }
}

/// A block or an allowlist entry. Never deleted: revoking sets `revoked_at`.
public struct Decision: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable { case block, allow }
    public var id: Int64
    public var account: String
    public var kind: Kind
    public var actor: String
    public var reason: String
    public var createdAt: Date
    public var expiresAt: Date?
    public var revokedAt: Date?
    public var revokedBy: String?
    public var revokeReason: String?

    public init(
        id: Int64, account: String, kind: Kind, actor: String, reason: String, createdAt: Date, expiresAt: Date?,
        revokedAt: Date? = nil, revokedBy: String? = nil, revokeReason: String? = nil
    ) {
        self.id = id
        self.account = account
        self.kind = kind
        self.actor = actor
        self.reason = reason
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
        self.revokedBy = revokedBy
        self.revokeReason = revokeReason
    }

    public func isActive(at now: Date) -> Bool { revokedAt == nil && (expiresAt.map { $0 > now } ?? true) }

    enum CodingKeys: String, CodingKey {
        case id, account, kind, actor, reason
        case createdAt = "created_at"
        case expiresAt = "expires_at"
        case revokedAt = "revoked_at"
        case revokedBy = "revoked_by"
        case revokeReason = "revoke_reason"
    }
}

public struct SourceStatus: Codable, Sendable, Equatable {
    public var name: String
    public var path: String?
    public var format: String?
    public var offset: Int64?
    public var size: Int64?
    public var lagBytes: Int64?
    public var lagSeconds: Double?
    public var lines: Int64
    public var badLines: Int64
    public var badByReason: [String: Int64]

    public init(
        name: String, path: String?, format: String?, offset: Int64?, size: Int64?, lagBytes: Int64?,
        lagSeconds: Double?, lines: Int64, badLines: Int64, badByReason: [String: Int64]
    ) {
        self.name = name
        self.path = path
        self.format = format
        self.offset = offset
        self.size = size
        self.lagBytes = lagBytes
        self.lagSeconds = lagSeconds
        self.lines = lines
        self.badLines = badLines
        self.badByReason = badByReason
    }

    enum CodingKeys: String, CodingKey {
        case name, path, format, offset, size, lines
        case lagBytes = "lag_bytes"
        case lagSeconds = "lag_seconds"
        case badLines = "bad_lines"
        case badByReason = "bad_by_reason"
    }
}

public struct BadLineSample: Codable, Sendable, Equatable {
    public var source: String
    public var reason: String
    public var detail: String
    /// Where: `path:offset` for files, `ingest` for HTTP.
    public var location: String
    public var at: Date

    public init(source: String, reason: String, detail: String, location: String, at: Date) {
        self.source = source
        self.reason = reason
        self.detail = detail
        self.location = location
        self.at = at
    }
}

/// `GET /v1/status`.
public struct StatusReport: Codable, Sendable {
    public var accounts: Int64
    /// Records ingested.
    public var lines: Int64
    public var badLines: Int64
    public var flagged: [String: Int64]
    public var sources: [SourceStatus]
    public var badLineSamples: [BadLineSample]
    public var lastScoring: Date?
    public var lastError: String?

    public init(
        accounts: Int64, lines: Int64, badLines: Int64, flagged: [String: Int64], sources: [SourceStatus],
        badLineSamples: [BadLineSample], lastScoring: Date?, lastError: String? = nil
    ) {
        self.accounts = accounts
        self.lines = lines
        self.badLines = badLines
        self.flagged = flagged
        self.sources = sources
        self.badLineSamples = badLineSamples
        self.lastScoring = lastScoring
        self.lastError = lastError
    }

    enum CodingKeys: String, CodingKey {
        case accounts, lines, flagged, sources
        case badLines = "bad_lines"
        case badLineSamples = "bad_line_samples"
        case lastScoring = "last_scoring"
        case lastError = "last_error"
    }
}

/// `{"error": {"code", "message"}}`.
public struct APIErrorBody: Codable, Sendable {
    public struct Detail: Codable, Sendable {
        public var code: String
        public var message: String
    }
    public var error: Detail
    public init(code: String, message: String) { error = Detail(code: code, message: message) }
}

extension JSONEncoder {
    /// The API's encoder: snake_case keys are spelled out in `CodingKeys`; dates ISO 8601; keys sorted for stable output.
    public static var sluice: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}

extension JSONDecoder {
    public static var sluice: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
