import Foundation
import SluiceCore

/// Aligned plain-text tables for people.
enum Table {
    static func render(_ header: [String], _ rows: [[String]]) -> String {
        AlignedTable.render(header, rows)
    }

    static func flagged(_ accounts: [FlaggedAccount]) -> String {
        if accounts.isEmpty { return "no flagged accounts" }
        return render(
            ["ACCOUNT", "LEVEL", "SCORE", "REQUESTS", "CLUSTER", "REASONS"],
            accounts.map {
                [
                    $0.account, $0.level.rawValue + ($0.blocked ? " (blocked)" : ""), String(format: "%.2f", $0.score),
                    "\($0.requests)", $0.cluster ?? "-", $0.reasons.prefix(3).map(\.code).joined(separator: ","),
                ]
            })
    }
}
