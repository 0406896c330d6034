import Foundation
import GRDB
import GRDBSQLite
import SluiceCore

extension SQLiteStore {
    /// Every account and end user with at least `minimumRequests` requests, and every top-level
    /// account with at least `minimumAccountRequests` (default: the same), with its totals and
    /// sketch, for a scoring pass. Entities below every evidence floor need not be decoded.
    /// `snapshotTaken` is called once the read sees all it will see: later commits are not in it.
    public func profiles(
        minimumRequests: Int = 0, minimumAccountRequests: Int? = nil,
        snapshotTaken: (@Sendable () -> Void)? = nil
    ) async throws -> [AccountProfile] {
        try await pool.read { db in
            let columns = Self.bucketColumns.joined(separator: ", ")
            let statement = try db.makeStatement(
                sql: """
                    SELECT id, parent, sketch, \(columns) FROM accounts
                    WHERE requests >= ? OR (parent IS NULL AND requests >= ?)
                    """)
            let rows = try Row.fetchCursor(
                statement, arguments: [minimumRequests, minimumAccountRequests ?? minimumRequests])
            // Two cores: this thread steps SQLite and copies each row's bytes into a chunk, the
            // decoder builds the profiles of the chunk before. Columns are read straight from
            // SQLite: through `Row`, each of 100k rows' 30 values was a generic conversion.
            let row = statement.sqliteStatement
            let decoder = ProfileDecoder()
            var chunk = RawProfiles()
            // SQLite takes a read transaction's snapshot at its first step.
            var more = try rows.next() != nil
            snapshotTaken?()
            while more {
                chunk.append(row)
                if chunk.count == RawProfiles.rowsPerChunk {
                    decoder.decode(chunk)
                    chunk = RawProfiles()
                }
                more = try rows.next() != nil
            }
            decoder.decode(chunk)
            return decoder.finish()
        }
    }

    /// Stores a scoring pass. Records when an account first reached `review` (time and its
    /// request count then: from `requests`, what the pass saw, else as stored now), keeps a history
    /// point when the level or score moved.
    public func save(
        _ assessments: [Assessment], eventTime: Double, seconds: Double, requests: [String: Int64] = [:]
    ) async throws {
        try await pool.write { db in
            var previous: [String: (score: Double, level: String, firstFlagged: Double?)] = [:]
            let stored = try Row.fetchCursor(db, sql: "SELECT account, score, level, first_flagged_at FROM scores")
            while let row = try stored.next() { previous[row[0]] = (row[1], row[2], row[3]) }
            let requestsOf = try db.cachedStatement(sql: "SELECT requests FROM accounts WHERE id = ?")
            let upsert = try db.cachedStatement(
                sql: """
                    INSERT INTO scores(account, score, level, reasons, cluster, scored_at, first_flagged_at, requests_at_flag)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(account) DO UPDATE SET score = excluded.score, level = excluded.level,
                    reasons = excluded.reasons, cluster = excluded.cluster, scored_at = excluded.scored_at,
                    first_flagged_at = coalesce(scores.first_flagged_at, excluded.first_flagged_at),
                    requests_at_flag = coalesce(scores.requests_at_flag, excluded.requests_at_flag)
                    """)
            let history = try db.cachedStatement(
                sql: "INSERT OR REPLACE INTO score_history(account, at, score, level) VALUES (?, ?, ?, ?)")
            var flagged = 0
            for a in assessments {
                let old = previous[a.account]
                if old == nil && a.level == .none && a.score < 0.05 { continue }
                // Unflagged and unchanged: nothing to write. Flagged accounts are always rewritten so
                // that their reasons carry the latest numbers.
                if let old, a.level == .none, old.level == a.level.rawValue, abs(old.score - a.score) < 0.005 {
                    continue
                }
                let reasons = Reason.json(a.reasons)
                let isFlagged = a.level >= .review
                if isFlagged { flagged += 1 }
                let newlyFlagged = isFlagged && old?.firstFlagged == nil
                let requestsAtFlag =
                    newlyFlagged ? try requests[a.account] ?? Int64.fetchOne(requestsOf, arguments: [a.account]) : nil
                try upsert.execute(arguments: [
                    a.account, a.score, a.level.rawValue, reasons, a.cluster, eventTime,
                    newlyFlagged ? eventTime : nil, requestsAtFlag,
                ])
                if old == nil || old!.level != a.level.rawValue || abs(old!.score - a.score) >= 0.05 {
                    try history.execute(arguments: [a.account, eventTime, a.score, a.level.rawValue])
                }
            }
            try db.execute(
                sql:
                    "INSERT INTO scoring_runs(event_time, wall_time, accounts, flagged, seconds) VALUES (?, ?, ?, ?, ?)",
                arguments: [eventTime, Date().timeIntervalSince1970, assessments.count, flagged, seconds])
        }
    }

    public func lastScoring() async throws -> (eventTime: Double, wallTime: Double)? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT event_time, wall_time FROM scoring_runs ORDER BY id DESC LIMIT 1").map {
                ($0[0], $0[1])
            }
        }
    }

    /// Accounts (not end users) at `minimum` level or above, highest score first.
    public func flagged(minimum: Level, limit: Int, cursor: String?, now: Date = Date()) async throws -> FlaggedPage {
        let levels = Level.allCases.filter { $0 >= minimum && $0 != .none }.map(\.rawValue)
        let offset = cursor.flatMap(Int.init) ?? 0
        return try await pool.read { db in
            let placeholders = levels.map { _ in "?" }.joined(separator: ", ")
            var arguments: [(any DatabaseValueConvertible)?] = levels
            arguments += [limit + 1, offset]
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT s.account, s.score, s.level, s.reasons, s.cluster, a.requests, a.first_seen, a.last_seen,
                           s.first_flagged_at, s.requests_at_flag
                    FROM scores s JOIN accounts a ON a.id = s.account
                    WHERE a.parent IS NULL AND s.level IN (\(placeholders))
                    ORDER BY s.score DESC, s.account LIMIT ? OFFSET ?
                    """,
                arguments: StatementArguments(arguments))
            let blocked = try Self.activeDecisionAccounts(db, kind: .block, now: now)
            var page = rows.prefix(limit).map { row in Self.flaggedAccount(row, blocked: blocked) }
            page = Array(page)
            return FlaggedPage(flagged: page, nextCursor: rows.count > limit ? String(offset + limit) : nil)
        }
    }

    static func flaggedAccount(_ row: Row, blocked: Set<String>) -> FlaggedAccount {
        let reasonsText: String = row[3]
        let reasons = (try? JSONDecoder.sluice.decode([Reason].self, from: Data(reasonsText.utf8))) ?? []
        let account: String = row[0]
        let firstFlagged: Double? = row[8]
        return FlaggedAccount(
            account: account, score: row[1], level: Level(rawValue: row[2]) ?? .none, reasons: reasons, cluster: row[4],
            requests: row[5], firstSeen: Date(timeIntervalSince1970: row[6]),
            lastSeen: Date(timeIntervalSince1970: row[7]),
            firstFlaggedAt: firstFlagged.map(Date.init(timeIntervalSince1970:)), requestsAtFlag: row[9],
            blocked: blocked.contains(account))
    }

    /// Every scored account with its first flag, for evaluation.
    public func outcomes() async throws -> [(
        account: String, firstSeen: Double, requests: Int64, level: Level, firstFlaggedAt: Double?,
        requestsAtFlag: Int64?, reasons: [String]
    )] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT a.id, a.first_seen, a.requests, s.level, s.first_flagged_at, s.requests_at_flag, s.reasons
                    FROM accounts a LEFT JOIN scores s ON s.account = a.id WHERE a.parent IS NULL
                    """
            ).map { row in
                let reasonsText: String? = row[6]
                let reasons =
                    reasonsText.flatMap { try? JSONDecoder.sluice.decode([Reason].self, from: Data($0.utf8)) } ?? []
                let level: String? = row[3]
                return (
                    row[0], row[1], row[2], level.flatMap(Level.init(rawValue:)) ?? .none, row[4], row[5],
                    reasons.map(\.code)
                )
            }
        }
    }

    public func accountDetail(_ id: String, now: Date = Date()) async throws -> AccountDetail? {
        try await pool.read { db in
            let columns = Self.bucketColumns.joined(separator: ", ")
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT id, parent, first_seen, last_seen, \(columns) FROM accounts WHERE id = ?",
                    arguments: [id])
            else { return nil }
            var features: [String: Double] = [:]
            for (i, counter) in Counter.allCases.enumerated() {
                let value: Int64 = row[4 + i]
                features[counter.name] = Double(value)
            }
            let data = try Data.fetchOne(db, sql: "SELECT sketch FROM accounts WHERE id = ?", arguments: [id])
            if let data, let sketch = try? AccountSketch(encoded: [UInt8](data)) {
                features["distinct_prompts"] = sketch.distinctPrompts.estimate.rounded()
                features["networks"] = Double(sketch.networks.count)
                features["user_agents"] = Double(sketch.userAgents.count)
                features["api_keys"] = Double(sketch.apiKeys.count)
                features["end_users"] = sketch.endUsers.estimate.rounded()
                features["active_days"] = Double(sketch.activeDayCount)
                features["active_hours_of_day"] = Double(sketch.activeHourCount)
                if let spread = sketch.gapSpread { features["inter_arrival_log_spread"] = spread }
            }
            let score = try Row.fetchOne(
                db,
                sql:
                    "SELECT score, level, reasons, cluster, first_flagged_at, requests_at_flag FROM scores WHERE account = ?",
                arguments: [id])
            let reasonsText: String? = score?[2]
            let reasons =
                reasonsText.flatMap { try? JSONDecoder.sluice.decode([Reason].self, from: Data($0.utf8)) } ?? []
            let cluster: String? = score?[3]
            let members: [String] =
                try cluster.map {
                    try String.fetchAll(
                        db, sql: "SELECT account FROM scores WHERE cluster = ? ORDER BY account", arguments: [$0])
                } ?? []
            // Children: end users (`id::user`) and keys (`id::key:KEY_ID`), the busiest 50 of each.
            let keyPrefix = id + BatchAggregate.keyInfix
            let childSQL = """
                SELECT id FROM accounts WHERE parent = ?1 AND (substr(id, 1, length(?2)) = ?2) = ?3
                ORDER BY requests DESC LIMIT 50
                """
            let endUsers = try String.fetchAll(db, sql: childSQL, arguments: [id, keyPrefix, false])
            let apiKeys = try String.fetchAll(db, sql: childSQL, arguments: [id, keyPrefix, true])
            let history = try Row.fetchAll(
                db, sql: "SELECT at, score, level FROM score_history WHERE account = ? ORDER BY at DESC LIMIT 100",
                arguments: [id]
            ).map {
                ScorePoint(at: Date(timeIntervalSince1970: $0[0]), score: $0[1], level: Level(rawValue: $0[2]) ?? .none)
            }
            // The account's last week of traffic by hour, ending at its last request (event time).
            let lastHour = hourBucket(row[3])
            let activity = try Row.fetchAll(
                db,
                sql: """
                    SELECT hour, requests, errors, prompt_tokens, completion_tokens FROM account_buckets
                    WHERE account = ? AND hour > ? AND requests > 0 ORDER BY hour
                    """,
                arguments: [id, lastHour - AccountDetail.activityHours]
            ).map {
                ActivityHour(
                    hour: Date(timeIntervalSince1970: Double($0[0] as Int64) * 3600), requests: $0[1], errors: $0[2],
                    promptTokens: $0[3], completionTokens: $0[4])
            }
            let decisions = try Self.decisions(db, account: id)
            let firstFlagged: Double? = score?[4]
            let levelText: String? = score?[1]
            return AccountDetail(
                account: id, parent: row[1], requests: row[4], firstSeen: Date(timeIntervalSince1970: row[2]),
                lastSeen: Date(timeIntervalSince1970: row[3]), score: score?[0],
                level: levelText.flatMap(Level.init(rawValue:)), reasons: reasons, cluster: cluster,
                clusterMembers: members, firstFlaggedAt: firstFlagged.map(Date.init(timeIntervalSince1970:)),
                requestsAtFlag: score?[5], features: features, endUsers: endUsers, apiKeys: apiKeys,
                decisions: decisions,
                scoreHistory: history.reversed(), activity: activity,
                blocked: decisions.contains { $0.kind == .block && $0.isActive(at: now) })
        }
    }

    /// Totals for `/v1/status`.
    public func totals() async throws -> (accounts: Int64, flagged: [String: Int64]) {
        try await pool.read { db in
            let accounts = try Int64.fetchOne(db, sql: "SELECT count(*) FROM accounts WHERE parent IS NULL") ?? 0
            var flagged: [String: Int64] = ["watch": 0, "review": 0, "block": 0]
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT s.level, count(*) FROM scores s JOIN accounts a ON a.id = s.account
                    WHERE a.parent IS NULL AND s.level != 'none' GROUP BY s.level
                    """)
            {
                flagged[row[0]] = row[1]
            }
            return (accounts, flagged)
        }
    }
}

/// Rows of `accounts` as SQLite returned them (id, parent, sketch, counters), copied out so that
/// another thread can decode them while the next rows are read.
struct RawProfiles: Sendable {
    /// Enough rows to keep the decoder busy, few enough that two chunks of blobs stay small.
    static let rowsPerChunk = 2048
    var bytes: [UInt8] = []
    var rows: [(id: Range<Int>, parent: Range<Int>?, sketch: Range<Int>)] = []
    var counters: [Int64] = []
    var count: Int { rows.count }

    /// Copies the current row of `statement`, a `SELECT id, parent, sketch, <counters>`.
    mutating func append(_ statement: OpaquePointer) {
        // The blob pointer of a TEXT column is its UTF-8, unconverted; the pointer first, then its length.
        func copy(_ column: Int32) -> Range<Int> {
            let start = bytes.count
            let pointer = sqlite3_column_blob(statement, column)
            let length = Int(sqlite3_column_bytes(statement, column))
            if let pointer, length > 0 {
                bytes.append(contentsOf: UnsafeRawBufferPointer(start: pointer, count: length))
            }
            return start..<bytes.count
        }
        let id = copy(0)
        let parent = sqlite3_column_type(statement, 1) == SQLITE_NULL ? nil : copy(1)
        rows.append((id, parent, copy(2)))
        for i in 0..<Int32(Counter.allCases.count) { counters.append(sqlite3_column_int64(statement, 3 + i)) }
    }

    /// Decodes the rows onto the end of `profiles`.
    func decode(into profiles: inout [AccountProfile]) {
        let width = Counter.allCases.count
        bytes.withUnsafeBufferPointer { bytes in
            for (i, (id, parent, sketch)) in rows.enumerated() {
                let sketchBytes = UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[sketch]))
                profiles.append(
                    AccountProfile(
                        id: String(decoding: bytes[id], as: UTF8.self),
                        parent: parent.map { String(decoding: bytes[$0], as: UTF8.self) },
                        totals: Counters(values: Array(counters[(i * width)..<((i + 1) * width)])),
                        sketch: (try? AccountSketch(encoded: sketchBytes, seenPrompts: false)) ?? AccountSketch()))
            }
        }
    }
}

/// Decodes chunks of rows in order on a thread of its own, at most two chunks behind the reader.
final class ProfileDecoder: @unchecked Sendable {
    // @unchecked: `decoded` is touched only on `queue`.
    private let queue = DispatchQueue(label: "sluice.profile-decoder")
    private let room = DispatchSemaphore(value: 2)
    private var decoded: [AccountProfile] = []

    func decode(_ chunk: RawProfiles) {
        guard chunk.count > 0 else { return }
        room.wait()
        queue.async {
            chunk.decode(into: &self.decoded)
            self.room.signal()
        }
    }

    /// Every profile decoded, in the order the chunks came.
    func finish() -> [AccountProfile] {
        queue.sync { decoded }
    }
}
