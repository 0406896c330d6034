import Foundation
import GRDB
import SluiceCore

// Decisions (blocks and allowlist entries) and the audit log. Rows are never deleted: revoking
// sets `revoked_at`, an expiry is noted once. Every change takes the next value of a change
// sequence (`changed_seq`, the largest in the table is the head), which is what lets a gateway
// polling `GET /v1/blocklist?since=` see every change, removals and expiries included.

extension SQLiteStore {
    /// The actor of blocks made by the `auto_block` policy.
    public static let autoActor = "sluice-auto"
    /// The actor of expiries.
    public static let systemActor = "sluice"

    static func decision(_ row: Row) -> Decision {
        let expires: Double? = row["expires_at"]
        let revoked: Double? = row["revoked_at"]
        return Decision(
            id: row["id"], account: row["account"], kind: Decision.Kind(rawValue: row["kind"]) ?? .block,
            actor: row["actor"], reason: row["reason"], createdAt: Date(timeIntervalSince1970: row["created_at"]),
            expiresAt: expires.map(Date.init(timeIntervalSince1970:)),
            revokedAt: revoked.map(Date.init(timeIntervalSince1970:)),
            revokedBy: row["revoked_by"], revokeReason: row["revoke_reason"])
    }

    static func decisions(_ db: Database, account: String) throws -> [Decision] {
        try Row.fetchAll(db, sql: "SELECT * FROM decisions WHERE account = ? ORDER BY id", arguments: [account]).map(
            decision)
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

    // MARK: - Reading

    static func activeDecisions(_ db: Database, now: Date, account: String? = nil) throws -> [Decision] {
        var sql = "SELECT * FROM decisions WHERE revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)"
        var arguments: StatementArguments = [now.timeIntervalSince1970]
        if let account {
            sql += " AND account = ?"
            arguments += [account]
        }
        return try Row.fetchAll(db, sql: sql + " ORDER BY id", arguments: arguments).map(decision)
    }

    static func head(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT coalesce(max(changed_seq), 0) FROM decisions") ?? 0
    }

    /// Every active decision, oldest first, and the change sequence they are current at.
    public func activeDecisions(now: Date = Date()) async throws -> (decisions: [Decision], head: Int64) {
        try await pool.read { db in (try Self.activeDecisions(db, now: now), try Self.head(db)) }
    }

    /// The active decisions of one kind, newest first.
    public func activeDecisions(_ kind: Decision.Kind, now: Date = Date()) async throws -> [Decision] {
        try await pool.read { db in
            try Self.activeDecisions(db, now: now).filter { $0.kind == kind }.reversed()
        }
    }

    /// The newest change sequence: it moves with every decision, revoke and expiry.
    public func decisionHead() async throws -> Int64 {
        try await pool.read { db in try Self.head(db) }
    }

    /// Decision rows by kind, active or not, for metrics.
    public func decisionCounts(now: Date = Date()) async throws -> [Decision.Kind: (total: Int64, active: Int64)] {
        try await pool.read { db in
            var result: [Decision.Kind: (total: Int64, active: Int64)] = [.block: (0, 0), .allow: (0, 0)]
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT kind, count(*),
                           sum(revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?))
                    FROM decisions GROUP BY kind
                    """,
                arguments: [now.timeIntervalSince1970])
            for row in rows {
                guard let kind = Decision.Kind(rawValue: row[0]) else { continue }
                result[kind] = (row[1], row[2] ?? 0)
            }
            return result
        }
    }

    /// What changed in the blocklist after change `since`: each account once, in `added` if it is
    /// blocked now, in `removed` if not. No `since`, 0, or one ahead of this database's head
    /// (a cursor from another database): the whole list, marked `full`.
    public func blocklist(since: Int64?, now: Date = Date()) async throws -> BlocklistDelta {
        try await pool.read { db in
            let head = try Self.head(db)
            var blocked: [String: Date?] = [:]
            for d in try Self.activeDecisions(db, now: now) where d.kind == .block {
                // Several active blocks cannot happen through the API; if they do, the longest wins.
                if let existing = blocked[d.account] {
                    blocked[d.account] = (existing == nil || d.expiresAt == nil) ? nil : max(existing!, d.expiresAt!)
                } else {
                    blocked[d.account] = d.expiresAt
                }
            }
            func entry(_ account: String) -> BlocklistEntry {
                BlocklistEntry(account: account, expiresAt: blocked[account] ?? nil)
            }
            guard let since, since > 0, since <= head else {
                return BlocklistDelta(
                    cursor: String(head), full: true, added: blocked.keys.sorted().map(entry), removed: [])
            }
            let changed = try String.fetchAll(
                db,
                sql: "SELECT DISTINCT account FROM decisions WHERE kind = 'block' AND changed_seq > ? ORDER BY account",
                arguments: [since])
            return BlocklistDelta(
                cursor: String(head), full: false, added: changed.filter { blocked[$0] != nil }.map(entry),
                removed: changed.filter { blocked[$0] == nil })
        }
    }

    /// The audit log, newest first; `before` is an entry id (the page cursor).
    public func auditLog(limit: Int, before: Int64? = nil, account: String? = nil) async throws -> AuditPage {
        try await pool.read { db in
            var sql = "SELECT id, at, actor, action, account, reason, decision_id, detail FROM audit_log WHERE 1"
            var arguments: StatementArguments = []
            if let before {
                sql += " AND id < ?"
                arguments += [before]
            }
            if let account {
                sql += " AND account = ?"
                arguments += [account]
            }
            sql += " ORDER BY id DESC LIMIT ?"
            arguments += [limit + 1]
            let entries = try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                AuditEntry(
                    id: row[0], at: Date(timeIntervalSince1970: row[1]), actor: row[2], action: row[3], account: row[4],
                    reason: row[5], decision: row[6], detail: row[7])
            }
            let page = Array(entries.prefix(limit))
            return AuditPage(
                entries: page, nextCursor: entries.count > limit ? page.last.map { String($0.id) } : nil)
        }
    }

    // MARK: - Writing

    static func insertDecision(
        _ db: Database, _ kind: Decision.Kind, account: String, actor: String, reason: String, at now: Date,
        expiresAt: Date?, sequence: Int64
    ) throws -> Decision {
        try db.execute(
            sql: """
                INSERT INTO decisions(account, kind, actor, reason, created_at, expires_at, changed_seq)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                account, kind.rawValue, actor, reason, now.timeIntervalSince1970, expiresAt?.timeIntervalSince1970,
                sequence,
            ])
        return Decision(
            id: db.lastInsertedRowID, account: account, kind: kind, actor: actor, reason: reason, createdAt: now,
            expiresAt: expiresAt)
    }

    static func revokeRow(_ db: Database, id: Int64, actor: String, reason: String, at now: Date, sequence: Int64)
        throws
    {
        try db.execute(
            sql: """
                UPDATE decisions SET revoked_at = ?, revoked_by = ?, revoke_reason = ?, changed_seq = ?
                WHERE id = ? AND revoked_at IS NULL
                """,
            arguments: [now.timeIntervalSince1970, actor, reason, sequence, id])
    }

    static func audit(
        _ db: Database, at now: Date, actor: String, action: String, account: String?, reason: String?,
        decision: Int64?, detail: String? = nil
    ) throws {
        try db.execute(
            sql: """
                INSERT INTO audit_log(at, actor, action, account, reason, decision_id, detail)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [now.timeIntervalSince1970, actor, action, account, reason, decision, detail])
    }

    static func describe(_ date: Date?) -> String {
        guard let date else { return "never" }
        return ISO8601DateFormatter().string(from: date)
    }

    /// Records a block or an allowlist entry, and its audit line, in one transaction. An active
    /// decision of the same kind is superseded (revoked, so a block can be extended or shortened);
    /// an active decision of the other kind is a conflict (`StoreError` code `conflict`): an
    /// account is either blocked or allowlisted, and a person says which.
    public func decide(
        _ kind: Decision.Kind, account: String, actor: String, reason: String, expiresAt: Date?, now: Date = Date()
    ) async throws -> Decision {
        try await pool.write { db in
            let active = try Self.activeDecisions(db, now: now, account: account)
            if let other = active.first(where: { $0.kind != kind }) {
                throw StoreError(
                    code: "conflict",
                    message: other.kind == .allow
                        ? "account \(account) is allowlisted (decision \(other.id)); remove it from the allowlist first"
                        : "account \(account) is blocked (decision \(other.id)); unblock it first")
            }
            let sequence = try Self.head(db) + 1
            let superseded = active.filter { $0.kind == kind }
            for old in superseded {
                try Self.revokeRow(
                    db, id: old.id, actor: actor, reason: "superseded by a new \(kind.rawValue): \(reason)", at: now,
                    sequence: sequence)
            }
            let decision = try Self.insertDecision(
                db, kind, account: account, actor: actor, reason: reason, at: now, expiresAt: expiresAt,
                sequence: sequence)
            var detail = "expires \(Self.describe(expiresAt))"
            if !superseded.isEmpty {
                detail += "; supersedes \(superseded.map { "#\($0.id)" }.joined(separator: ", "))"
            }
            try Self.audit(
                db, at: now, actor: actor, action: kind == .block ? "block" : "allow", account: account, reason: reason,
                decision: decision.id, detail: detail)
            return decision
        }
    }

    /// Revokes the active decision of `kind` on `account` (unblock, disallow) and audits it. The
    /// row stays. No active decision: `StoreError` code `not_found`.
    public func revoke(
        _ kind: Decision.Kind, account: String, actor: String, reason: String, now: Date = Date()
    ) async throws -> Decision {
        try await pool.write { db in
            let active = try Self.activeDecisions(db, now: now, account: account).filter { $0.kind == kind }
            guard let last = active.last else {
                throw StoreError(
                    code: "not_found",
                    message: "account \(account) has no active \(kind == .block ? "block" : "allowlist entry")")
            }
            let sequence = try Self.head(db) + 1
            for d in active {
                try Self.revokeRow(db, id: d.id, actor: actor, reason: reason, at: now, sequence: sequence)
            }
            try Self.audit(
                db, at: now, actor: actor, action: kind == .block ? "unblock" : "disallow", account: account,
                reason: reason, decision: last.id)
            let row = try Row.fetchOne(db, sql: "SELECT * FROM decisions WHERE id = ?", arguments: [last.id])
            return row.map(Self.decision) ?? last
        }
    }

    /// Notes decisions whose expiry has passed: each takes a new change sequence (so blocklist
    /// pollers hear of it) and an audit line, once. Returns them.
    @discardableResult
    public func noteExpiredDecisions(now: Date = Date()) async throws -> [Decision] {
        try await pool.write { db in
            let expired = try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM decisions WHERE revoked_at IS NULL AND expiry_noted = 0
                    AND expires_at IS NOT NULL AND expires_at <= ? ORDER BY id
                    """,
                arguments: [now.timeIntervalSince1970]
            ).map(Self.decision)
            guard !expired.isEmpty else { return [] }
            let sequence = try Self.head(db) + 1
            for d in expired {
                try db.execute(
                    sql: "UPDATE decisions SET expiry_noted = 1, changed_seq = ? WHERE id = ?",
                    arguments: [sequence, d.id])
                try Self.audit(
                    db, at: now, actor: Self.systemActor, action: "expire", account: d.account,
                    reason: "\(d.kind.rawValue) expired", decision: d.id,
                    detail: "expired at \(Self.describe(d.expiresAt))")
            }
            return expired
        }
    }

    /// Blocks accounts for the `auto_block` policy, as `sluice-auto`, and returns the new blocks.
    /// An account is skipped when it is not a top-level account (an end user), has any active
    /// decision, or its latest decision was revoked by a person: scoring never overrides a
    /// manual decision, and a person's unblock is one.
    public func autoBlock(
        _ candidates: [(account: String, reason: String)], expiresAt: Date?, now: Date = Date()
    ) async throws -> [Decision] {
        guard !candidates.isEmpty else { return [] }
        return try await pool.write { db in
            var sequence: Int64?
            var made: [Decision] = []
            for (account, reason) in candidates {
                let isAccount = try Bool.fetchOne(
                    db, sql: "SELECT 1 FROM accounts WHERE id = ? AND parent IS NULL", arguments: [account])
                guard isAccount == true else { continue }
                guard try Self.activeDecisions(db, now: now, account: account).isEmpty else { continue }
                let lastRevoker = try String.fetchOne(
                    db, sql: "SELECT revoked_by FROM decisions WHERE account = ? ORDER BY id DESC LIMIT 1",
                    arguments: [account])
                if let lastRevoker, lastRevoker != Self.autoActor { continue }
                if sequence == nil { sequence = try Self.head(db) + 1 }
                let decision = try Self.insertDecision(
                    db, .block, account: account, actor: Self.autoActor, reason: reason, at: now,
                    expiresAt: expiresAt, sequence: sequence!)
                try Self.audit(
                    db, at: now, actor: Self.autoActor, action: "block", account: account, reason: reason,
                    decision: decision.id, detail: "auto_block policy; expires \(Self.describe(expiresAt))")
                made.append(decision)
            }
            return made
        }
    }
}
