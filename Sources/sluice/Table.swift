import Foundation
import SluiceCore

/// Aligned plain-text tables for people.
enum Table {
    static func render(_ header: [String], _ rows: [[String]]) -> String {
        var widths = header.map(\.count)
        for row in rows {
            for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, cell in
                i == cells.count - 1 ? cell : cell.padding(toLength: widths[i], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
        return ([line(header)] + rows.map(line)).joined(separator: "\n")
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
