import Foundation
import GRDB
import SluiceCore

extension SQLiteStore {
    static func decision(_ row: Row) -> Decision {
        let expires: Double? = row["expires_at"]
        let revoked: Double? = row["revoked_at"]
        return Decision(
            id: row["id"], account: row["account"], kind: Decision.Kind(rawValue: row["kind"]) ?? .block,
            actor: row["actor"], reason: row["reason"], createdAt: Date(timeIntervalSince1970: row["created_at"]),
            expiresAt: expires.map(Date.init(timeIntervalSince1970:)), revokedAt: revoked.map(Date.init(timeIntervalSince1970:)),
            revokedBy: row["revoked_by"], revokeReason: row["revoke_reason"])
    }

    static func decisions(_ db: Database, account: String) throws -> [Decision] {
        try Row.fetchAll(db, sql: "SELECT * FROM decisions WHERE account = ? ORDER BY id", arguments: [account]).map(decision)
    }

    static func activeDecisionAccounts(_ db: Database, kind: Decision.Kind, now: Date) throws -> Set<String> {
        Set(
            try String.fetchAll(
                db,
                sql: """
                    SELECT account FROM decisions WHERE kind = ? AND revoked_at IS NULL
                    AND (expires_at IS NULL OR expires_at > ?)
                    """,
                arguments: [kind.rawValue, now.timeIntervalSince1970]))
    }

    /// Accounts with an active decision of `kind`.
    public func activeAccounts(_ kind: Decision.Kind, now: Date = Date()) async throws -> Set<String> {
        try await pool.read { db in try Self.activeDecisionAccounts(db, kind: kind, now: now) }
    }
}
