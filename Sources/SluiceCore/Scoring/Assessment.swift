/// How strongly an account is flagged. Ordered: `none < watch < review < block`.
public enum Level: String, Sendable, Codable, CaseIterable, Comparable {
    case none, watch, review, block

    var rank: Int {
        switch self {
        case .none: return 0
        case .watch: return 1
        case .review: return 2
        case .block: return 3
        }
    }
    public static func < (lhs: Level, rhs: Level) -> Bool { lhs.rank < rhs.rank }
}

/// One piece of evidence: a stable code, a sentence with the account's own numbers, and the
/// signal's strength in [0, 1].
public struct Reason: Sendable, Codable, Equatable {
    public var code: String
    public var summary: String
    public var value: Double

    public init(code: String, summary: String, value: Double) {
        self.code = code
        self.summary = summary
        self.value = value
    }
}

/// What a scored entity is: an account, or an end user or API key inside one.
public enum EntityKind: Sendable, Hashable {
    case account, endUser, apiKey
}

extension Reason {
    /// `[{"code":…,"summary":…,"value":…}]`, as `JSONEncoder.sluice` writes it (sorted keys),
    /// without its cost: every scoring pass stores the reasons of every changed account.
    public static func json(_ reasons: [Reason]) -> String {
        var out = "["
        for (i, reason) in reasons.enumerated() {
            if i > 0 { out += "," }
            out += "{\"code\":"
            appendJSONString(reason.code, to: &out)
            out += ",\"summary\":"
            appendJSONString(reason.summary, to: &out)
            // Shortest round-trip form, as JSONEncoder writes doubles; a reason's value is finite.
            out += ",\"value\":" + (reason.value.isFinite ? "\(reason.value)" : "0") + "}"
        }
        return out + "]"
    }

    static func appendJSONString(_ text: String, to out: inout String) {
        out += "\""
        defer { out += "\"" }
        // Reason sentences rarely hold a byte to escape: then they go in whole.
        guard text.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) else {
            out += text
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
    }
}

/// Everything scoring needs to know about one account (or end user or key inside one).
///
/// An immutable class, not a struct: a pass hands each profile to several steps on several
/// threads, and every copy of a struct retained each array of its sketch, a tenth of a pass
/// over 100k accounts. A copy of a class is one retain.
public final class AccountProfile: Sendable {
    public let id: String
    /// The account an end-user or key entity belongs to; nil for accounts.
    public let parent: String?
    public let totals: Counters
    public let sketch: AccountSketch

    public init(id: String, parent: String? = nil, totals: Counters, sketch: AccountSketch) {
        self.id = id
        self.parent = parent
        self.totals = totals
        self.sketch = sketch
    }

    public var kind: EntityKind {
        guard let parent else { return .account }
        return BatchAggregate.isKeyEntity(id, of: parent) ? .apiKey : .endUser
    }
}

/// The verdict on one account at one scoring pass.
public struct Assessment: Sendable, Equatable {
    public var account: String
    public var score: Double
    public var level: Level
    public var reasons: [Reason]
    public var cluster: String?

    public init(account: String, score: Double, level: Level, reasons: [Reason], cluster: String? = nil) {
        self.account = account
        self.score = score
        self.level = level
        self.reasons = reasons
        self.cluster = cluster
    }
}

/// Thresholds from the config's `scoring` section.
public struct ScoringPolicy: Sendable, Equatable {
    public var watch: Double
    public var review: Double
    public var block: Double
    /// Below this many requests an account is at most `watch`: too little evidence to act on.
    public var minimumRequests: Int
    /// The same for an end user inside an account: a reseller's harvesting customers each send
    /// little, and flagging one flags the account for review, not the end user alone.
    public var minimumEndUserRequests: Int
    /// Distinct hours of the day with traffic needed above `watch`: one burst (a fresh evaluation
    /// run) is not yet a pattern; harvesting is sustained.
    public var minimumActiveHours: Int = 3

    public init(
        watch: Double = 0.35, review: Double = 0.55, block: Double = 0.75, minimumRequests: Int = 100,
        minimumEndUserRequests: Int = 30
    ) {
        self.watch = watch
        self.review = review
        self.block = block
        self.minimumRequests = minimumRequests
        self.minimumEndUserRequests = minimumEndUserRequests
    }

    public func level(for score: Double, requests: Int64, endUser: Bool = false, activeHours: Int = 24) -> Level {
        let level: Level = score >= block ? .block : score >= review ? .review : score >= watch ? .watch : .none
        let enoughEvidence =
            requests >= (endUser ? minimumEndUserRequests : minimumRequests) && activeHours >= minimumActiveHours
        return enoughEvidence ? level : min(level, .watch)
    }
}
