import Foundation
import SluiceCore

/// Aligned plain-text output for people.
enum TextTable {
    static func render(_ header: [String], _ rows: [[String]]) -> String {
        AlignedTable.render(header, rows)
    }

    static func flagged(_ accounts: [FlaggedAccount]) -> String {
        if accounts.isEmpty { return "no flagged accounts" }
        return render(
            ["ACCOUNT", "LEVEL", "SCORE", "REQUESTS", "FIRST FLAGGED", "CLUSTER", "REASONS"],
            accounts.map {
                [
                    $0.account, $0.level.rawValue + ($0.blocked ? " (blocked)" : ""), String(format: "%.2f", $0.score),
                    "\($0.requests)", time($0.firstFlaggedAt), $0.cluster ?? "-",
                    $0.reasons.prefix(4).map(\.code).joined(separator: ","),
                ]
            })
    }

    static func detail(_ d: AccountDetail) -> String {
        let role = d.parent.map { BatchAggregate.isKeyEntity(d.account, of: $0) ? "API key" : "end user" }
        var lines = [
            "account     \(d.account)" + (d.parent.map { "  (\(role!) of \($0))" } ?? ""),
            "level       \(d.level?.rawValue ?? "none")  score \(d.score.map { String(format: "%.2f", $0) } ?? "-")"
                + (d.blocked ? "  BLOCKED" : ""),
            "requests    \(d.requests)  first seen \(time(d.firstSeen))  last seen \(time(d.lastSeen))",
            "flagged     \(time(d.firstFlaggedAt))" + (d.requestsAtFlag.map { " after \($0) requests" } ?? ""),
        ]
        if let cluster = d.cluster {
            lines.append("cluster     \(cluster) (\(d.clusterMembers.count) members)")
        }
        if !d.endUsers.isEmpty { lines.append("end users   \(d.endUsers.count)\(d.endUsers.count == 50 ? "+" : "")") }
        if !d.apiKeys.isEmpty { lines.append("api keys    \(d.apiKeys.count)\(d.apiKeys.count == 50 ? "+" : "")") }
        if !d.activity.isEmpty {
            lines.append("")
            lines.append(contentsOf: activity(d.activity))
        }
        if !d.reasons.isEmpty {
            lines.append("")
            lines.append(
                render(
                    ["REASON", "STRENGTH", "EVIDENCE"],
                    d.reasons.map { [$0.code, String(format: "%.2f", $0.value), $0.summary] }))
        }
        if !d.decisions.isEmpty {
            lines.append("")
            lines.append(
                render(
                    ["DECISION", "KIND", "BY", "CREATED", "EXPIRES", "REVOKED", "REASON"],
                    d.decisions.map {
                        [
                            "\($0.id)", $0.kind.rawValue, $0.actor, time($0.createdAt), time($0.expiresAt),
                            time($0.revokedAt), $0.reason,
                        ]
                    }))
        }
        return lines.joined(separator: "\n")
    }

    /// A day a line, an hour a character (UTC): how busy each hour was against the busiest, so
    /// that a flat round-the-clock load stands out from a working day's.
    static func activity(_ hours: [ActivityHour]) -> [String] {
        // Eighths of the busiest hour, rounded up: an hour with any traffic shows.
        let levels = Array("▁▂▃▄▅▆▇█")
        let busiest = max(hours.map(\.requests).max() ?? 1, 1)
        var byDay: [Int64: [Int64]] = [:]
        for hour in hours {
            let index = hourBucket(hour.hour.timeIntervalSince1970)
            byDay[index / 24, default: Array(repeating: 0, count: 24)][Int(index % 24)] += hour.requests
        }
        let day = DateFormatter()
        day.locale = Locale(identifier: "en_US_POSIX")
        day.timeZone = TimeZone(identifier: "UTC")
        day.dateFormat = "yyyy-MM-dd"
        var lines = ["activity    requests an hour, 00–23 UTC; the busiest hour, \(busiest), is █"]
        for (index, counts) in byDay.sorted(by: { $0.key < $1.key }) {
            let bar = String(counts.map { $0 == 0 ? "·" : levels[Int((8 * $0 + busiest - 1) / busiest) - 1] })
            let date = day.string(from: Date(timeIntervalSince1970: Double(index) * 86_400))
            lines.append("\(date)  \(bar)  \(counts.reduce(0, +)) requests")
        }
        return lines
    }

    static func decisions(_ decisions: [Decision]) -> String {
        render(
            ["ACCOUNT", "KIND", "ID", "BY", "CREATED", "EXPIRES", "REVOKED", "REASON"],
            decisions.map { d in
                [
                    d.account, d.kind.rawValue, "\(d.id)", d.actor, time(d.createdAt), time(d.expiresAt),
                    d.revokedAt == nil ? "-" : "\(time(d.revokedAt)) by \(d.revokedBy ?? "-")",
                    d.revokeReason.map { "\(d.reason) (revoked: \($0))" } ?? d.reason,
                ]
            })
    }

    static func audit(_ entries: [AuditEntry]) -> String {
        render(
            ["ID", "AT", "ACTOR", "ACTION", "ACCOUNT", "DECISION", "REASON"],
            entries.map {
                [
                    "\($0.id)", time($0.at), $0.actor, $0.action, $0.account ?? "-", $0.decision.map { "\($0)" } ?? "-",
                    $0.reason ?? "",
                ]
            })
    }

    static func status(_ s: StatusReport) -> String {
        var lines = [
            "accounts \(s.accounts)  records \(s.lines)  bad lines \(s.badLines)  "
                + "flagged watch \(s.flagged["watch"] ?? 0) review \(s.flagged["review"] ?? 0) block \(s.flagged["block"] ?? 0)",
            "last scoring \(time(s.lastScoring))",
        ]
        if let error = s.lastError { lines.append("last error: \(error)") }
        if !s.sources.isEmpty {
            lines.append("")
            lines.append(
                render(
                    ["SOURCE", "FORMAT", "OFFSET", "SIZE", "LAG BYTES", "LAG S", "RECORDS", "BAD", "PATH"],
                    s.sources.map {
                        [
                            $0.name, $0.format ?? "-", $0.offset.map { "\($0)" } ?? "-", $0.size.map { "\($0)" } ?? "-",
                            $0.lagBytes.map { "\($0)" } ?? "-", $0.lagSeconds.map { String(format: "%.1f", $0) } ?? "-",
                            "\($0.lines)", "\($0.badLines)", $0.path ?? "-",
                        ]
                    }))
        }
        if !s.badLineSamples.isEmpty {
            lines.append("")
            lines.append(
                render(
                    ["BAD LINE", "REASON", "DETAIL"],
                    s.badLineSamples.suffix(10).map { [$0.location, $0.reason, $0.detail] }))
        }
        return lines.joined(separator: "\n")
    }
}
