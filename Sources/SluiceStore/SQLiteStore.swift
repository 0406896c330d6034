import Foundation
import GRDB
import SluiceCore
import Synchronization

/// Where a file source has got to. Identity is the device and inode; the fingerprint of the
/// first bytes tells a reused inode or a truncated file from the one that was read.
public struct Checkpoint: Sendable, Equatable {
    public var identity: String
    public var source: String
    public var path: String
    public var fingerprint: String
    public var offset: Int64

    public init(identity: String, source: String, path: String, fingerprint: String, offset: Int64) {
        self.identity = identity
        self.source = source
        self.path = path
        self.fingerprint = fingerprint
        self.offset = offset
    }
}

/// What one batch of input did besides its records: it moves a checkpoint, counts lines per
/// outcome, keeps samples of bad lines. All of it commits with the records, or none of it.
public struct IngestProgress: Sendable {
    public var source: String
    public var checkpoint: Checkpoint?
    public var skipped: Int = 0
    public var bad: [BadLineReason: Int] = [:]
    public var samples: [BadLineSample] = []
    /// Set for HTTP batches: a batch id already committed is not counted again.
    public var batchID: String?
    /// Set for a batch read from a file: the offset its file's stored checkpoint must be at (0 when
    /// it has none) for the batch to count. Another process that read the same lines first moved it:
    /// the batch then fails whole with `checkpoint_moved`, and nothing of it is counted twice.
    public var continuesFrom: Int64?

    public init(source: String, checkpoint: Checkpoint? = nil, batchID: String? = nil) {
        self.source = source
        self.checkpoint = checkpoint
        self.batchID = batchID
    }
}

/// Per-source line counts from `source_stats`.
public struct SourceCounts: Sendable, Equatable {
    public var records: Int64 = 0
    public var skipped: Int64 = 0
    public var bad: [String: Int64] = [:]
    public var badTotal: Int64 { bad.values.reduce(0, +) }
    public init() {}
}

public enum CommitOutcome: Sendable, Equatable {
    case committed(records: Int)
    /// The batch id was committed before: nothing was counted again.
    case duplicate
}

/// The SQLite store: WAL mode through GRDB's `DatabasePool`, one writer, concurrent readers,
/// so a long ingest transaction never stalls a read.
public final class SQLiteStore: Sendable {
    let pool: DatabasePool
    public let path: String
    /// The sketches recent batches committed, decoded: the next batch of a busy account starts
    /// from them instead of reading and decoding its blob again. Used on the writer connection only.
    let sketchCache = Mutex(SketchCache())
    /// When ids of HTTP batches older than `batchIDRetention` were last deleted.
    let batchIDsPruned = Mutex(0.0)
    /// Checkpoints the write-ahead log off the committing thread.
    let checkpointer: WALCheckpointer

    /// How long an HTTP batch id is remembered: a batch sent again within it is not counted again.
    /// A shipper retries within minutes; remembering every id forever grows the database by one
    /// row per batch.
    public static let batchIDRetention: Double = 7 * 86_400

    /// Opens (creating if needed) and migrates the database at `path`.
    /// - Parameter busyTimeout: seconds a write waits for another process's lock before failing.
    public init(path: String, busyTimeout: Double = 10) throws {
        self.path = path
        var configuration = GRDB.Configuration()
        configuration.busyMode = .timeout(busyTimeout)
        let checkpointer = WALCheckpointer(path: path)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            checkpointer.watch(db)
        }
        self.checkpointer = checkpointer
        do {
            pool = try Self.open(path: path, configuration: configuration)
        } catch {
            throw StoreError.describing(error, path: path, doing: "open")
        }
    }

    static let bucketColumns = Counter.allCases.map(\.name)

    /// Opens and migrates the database. Two processes opening a new database at once (a replay
    /// beside the daemon) collide: both switch it to WAL, and GRDB reads which migrations are
    /// applied before applying the others one by one, so both may try the same one. The loser
    /// opens it again, and then finds it in WAL mode and migrated, or migrates what is left.
    static func open(path: String, configuration: GRDB.Configuration) throws -> DatabasePool {
        var attempts = 0
        while true {
            do {
                let pool = try DatabasePool(path: path, configuration: configuration)
                try Schema.migrator.migrate(pool)
                return pool
            } catch {
                attempts += 1
                guard attempts < 5 else { throw error }
                Thread.sleep(forTimeInterval: 0.05 * Double(attempts))
            }
        }
    }

    // MARK: - Ingest

    /// Aggregates `items` and commits them with `progress` in one transaction. On failure nothing
    /// of the batch is stored, and the error is a `StoreError` that says what to do.
    public func commit(_ items: [(RequestRecord, RequestFeatures)], progress: IngestProgress) async throws
        -> CommitOutcome
    {
        do {
            return try await write(items, progress: progress)
        } catch {
            throw StoreError.describing(error, path: path, doing: "commit a batch to")
        }
    }

    /// `PRAGMA integrity_check`: "ok", or what is wrong.
    public func integrityCheck() async throws -> String {
        try await pool.read { db in
            try String.fetchAll(db, sql: "PRAGMA integrity_check").joined(separator: "; ")
        }
    }

    /// Copies the whole write-ahead log into the database and empties it, waiting for readers:
    /// a settled database, for a measurement that should not share the machine with a checkpoint.
    public func checkpointLog() async throws {
        try await pool.writeWithoutTransaction { db in
            // On the writer nothing commits meanwhile, so no other checkpoint starts.
            self.checkpointer.waitForRunning()
            _ = try db.checkpoint(.truncate)
        }
    }

    func write(_ items: [(RequestRecord, RequestFeatures)], progress: IngestProgress) async throws -> CommitOutcome {
        try await pool.writeWithoutTransaction { db in
            // Another connection (another process) that committed may have changed any sketch.
            let version = try Int64.fetchOne(db, sql: "PRAGMA data_version") ?? 0
            var cached = self.sketchCache.withLock { $0.take(ifVersion: version) }
            var aggregate = BatchAggregate()
            var outcome = CommitOutcome.duplicate
            do {
                // Immediate: the checkpoint read below is the latest, whatever another process commits.
                try db.inTransaction(.immediate) {
                    try Self.checkContinuation(progress, db, path: self.path)
                    if let batchID = progress.batchID {
                        let seen = "SELECT 1 FROM ingest_batches WHERE batch_id = ?"
                        if try Bool.fetchOne(db, sql: seen, arguments: [batchID]) == true { return .rollback }
                        let now = Date().timeIntervalSince1970
                        try db.execute(
                            sql: "INSERT INTO ingest_batches(batch_id, at) VALUES (?, ?)", arguments: [batchID, now])
                        if self.isTimeToPruneBatchIDs(now) {
                            try db.execute(
                                sql: "DELETE FROM ingest_batches WHERE at < ?", arguments: [now - Self.batchIDRetention]
                            )
                        }
                    }
                    items.withUnsafeBufferPointer { items in
                        for i in items.indices {
                            aggregate.add(items[i].0, features: items[i].1) { entity in
                                cached.removeValue(forKey: entity) ?? (try? Self.loadSketch(db, entity))
                            }
                        }
                    }
                    try Self.write(aggregate, db)
                    try Self.write(progress, records: items.count, db)
                    outcome = .committed(records: items.count)
                    return .commit
                }
            } catch {
                // What the cache held may not be what is stored: start again from the database.
                self.sketchCache.withLock { $0 = SketchCache() }
                throw error
            }
            // Committed: the batch's sketches are now the stored ones.
            cached.merge(aggregate.sketches) { _, new in new }
            self.sketchCache.withLock { $0.keep(cached, version: version) }
            return outcome
        }
    }

    /// True at most once an hour: time to forget batch ids older than `batchIDRetention`.
    func isTimeToPruneBatchIDs(_ now: Double) -> Bool {
        batchIDsPruned.withLock { last in
            guard now - last >= 3600 else { return false }
            last = now
            return true
        }
    }

    /// Throws `checkpoint_moved` when the file's stored checkpoint is not where the batch began.
    static func checkContinuation(_ progress: IngestProgress, _ db: Database, path: String) throws {
        guard let expected = progress.continuesFrom, let checkpoint = progress.checkpoint else { return }
        let statement = try db.cachedStatement(sql: "SELECT offset FROM checkpoints WHERE identity = ?")
        let stored = try Int64.fetchOne(statement, arguments: [checkpoint.identity]) ?? 0
        guard stored != expected else { return }
        throw StoreError(
            code: StoreError.checkpointMoved,
            message: "\(checkpoint.path) was read to \(stored) in database \(path), not to \(expected) where this "
                + "batch began: another process (or another source over the same file) is ingesting it into the "
                + "same database; run one sluice per database. Reading on from the stored checkpoints")
    }

    static func loadSketch(_ db: Database, _ entity: String) throws -> AccountSketch? {
        let statement = try db.cachedStatement(sql: "SELECT sketch FROM accounts WHERE id = ?")
        guard let data = try Data.fetchOne(statement, arguments: [entity]) else { return nil }
        return try AccountSketch(encoded: [UInt8](data))
    }

    static func write(_ aggregate: BatchAggregate, _ db: Database) throws {
        let columns = bucketColumns.joined(separator: ", ")
        let placeholders = bucketColumns.map { _ in "?" }.joined(separator: ", ")
        let bucketSQL = """
            INSERT INTO account_buckets(account, hour, \(columns)) VALUES (?, ?, \(placeholders))
            ON CONFLICT(account, hour) DO UPDATE SET
            \(bucketColumns.map { "\($0) = account_buckets.\($0) + excluded.\($0)" }.joined(separator: ", "))
            """
        var bucketRow = RowWriter(try db.cachedStatement(sql: bucketSQL), db)
        var totals: [String: Counters] = [:]
        for (key, counters) in aggregate.buckets {
            bucketRow.bind(key.entity)
            bucketRow.bind(key.hour)
            for value in counters.values { bucketRow.bind(value) }
            try bucketRow.run()
            totals[key.entity, default: Counters()] += counters
        }
        let accountSQL = """
            INSERT INTO accounts(id, parent, first_seen, last_seen, sketch, \(columns))
            VALUES (?, ?, ?, ?, ?, \(placeholders))
            ON CONFLICT(id) DO UPDATE SET
            first_seen = min(accounts.first_seen, excluded.first_seen),
            last_seen = max(accounts.last_seen, excluded.last_seen),
            sketch = excluded.sketch,
            \(bucketColumns.map { "\($0) = accounts.\($0) + excluded.\($0)" }.joined(separator: ", "))
            """
        var accountRow = RowWriter(try db.cachedStatement(sql: accountSQL), db)
        for (entity, sketch) in aggregate.sketches {
            accountRow.bind(entity)
            accountRow.bind(aggregate.parents[entity])
            accountRow.bind(sketch.firstSeen)
            accountRow.bind(sketch.lastSeen)
            accountRow.bind(blob: sketch.encoded())
            for value in (totals[entity] ?? Counters()).values { accountRow.bind(value) }
            try accountRow.run()
        }
        let keyStatement = try db.cachedStatement(
            sql:
                "INSERT INTO api_keys(key_id, account) VALUES (?, ?) ON CONFLICT(key_id) DO UPDATE SET account = excluded.account"
        )
        for (key, account) in aggregate.keyAccounts {
            try keyStatement.execute(arguments: [key, account])
        }
    }

    static func write(_ progress: IngestProgress, records: Int, _ db: Database) throws {
        let statSQL = """
            INSERT INTO source_stats(source, reason, count) VALUES (?, ?, ?)
            ON CONFLICT(source, reason) DO UPDATE SET count = source_stats.count + excluded.count
            """
        let statStatement = try db.cachedStatement(sql: statSQL)
        if records > 0 { try statStatement.execute(arguments: [progress.source, "records", records]) }
        if progress.skipped > 0 {
            try statStatement.execute(arguments: [progress.source, "skipped", progress.skipped])
        }
        for (reason, count) in progress.bad where count > 0 {
            try statStatement.execute(arguments: [progress.source, "bad:" + reason.rawValue, count])
        }
        if !progress.samples.isEmpty {
            let sampleStatement = try db.cachedStatement(
                sql: "INSERT INTO bad_line_samples(source, reason, detail, location, at) VALUES (?, ?, ?, ?, ?)")
            for sample in progress.samples.suffix(Self.badSampleLimit) {
                try sampleStatement.execute(arguments: [
                    sample.source, sample.reason, sample.detail, sample.location, sample.at.timeIntervalSince1970,
                ])
            }
            try db.execute(
                sql: "DELETE FROM bad_line_samples WHERE id <= (SELECT max(id) FROM bad_line_samples) - ?",
                arguments: [Self.badSampleLimit])
        }
        if let checkpoint = progress.checkpoint {
            try db.execute(
                sql: """
                    INSERT INTO checkpoints(identity, source, path, fingerprint, offset, updated_at) VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT(identity) DO UPDATE SET source = excluded.source, path = excluded.path,
                    fingerprint = excluded.fingerprint, offset = excluded.offset, updated_at = excluded.updated_at
                    """,
                arguments: [
                    checkpoint.identity, checkpoint.source, checkpoint.path, checkpoint.fingerprint, checkpoint.offset,
                    Date().timeIntervalSince1970,
                ])
        }
    }

    /// Bad-line samples kept, across sources.
    public static let badSampleLimit = 50

    public func checkpoints() async throws -> [Checkpoint] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT identity, source, path, fingerprint, offset FROM checkpoints").map {
                Checkpoint(identity: $0[0], source: $0[1], path: $0[2], fingerprint: $0[3], offset: $0[4])
            }
        }
    }

    /// Removes checkpoints of files that no longer exist anywhere (deleted after rotation).
    public func forgetCheckpoints(_ identities: [String]) async throws {
        guard !identities.isEmpty else { return }
        try await pool.write { db in
            for identity in identities {
                try db.execute(sql: "DELETE FROM checkpoints WHERE identity = ?", arguments: [identity])
            }
        }
    }

    public func sourceCounts() async throws -> [String: SourceCounts] {
        try await pool.read { db in
            var result: [String: SourceCounts] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT source, reason, count FROM source_stats") {
                let source: String = row[0]
                let reason: String = row[1]
                let count: Int64 = row[2]
                switch reason {
                case "records": result[source, default: SourceCounts()].records = count
                case "skipped": result[source, default: SourceCounts()].skipped = count
                default: result[source, default: SourceCounts()].bad[String(reason.dropFirst(4))] = count
                }
            }
            return result
        }
    }

    public func badLineSamples() async throws -> [BadLineSample] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT source, reason, detail, location, at FROM bad_line_samples ORDER BY id")
                .map {
                    BadLineSample(
                        source: $0[0], reason: $0[1], detail: $0[2], location: $0[3],
                        at: Date(timeIntervalSince1970: $0[4]))
                }
        }
    }

    /// The account an API key id was last seen on.
    public func account(forKey keyID: String) async throws -> String? {
        try await pool.read { db in
            try String.fetchOne(db, sql: "SELECT account FROM api_keys WHERE key_id = ?", arguments: [keyID])
        }
    }

    public func keyAccounts() async throws -> [String: String] {
        try await pool.read { db in
            var result: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT key_id, account FROM api_keys") { result[row[0]] = row[1] }
            return result
        }
    }
}

/// A store failure, with what to do about it.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public var code: String
    public var message: String
    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }
    public var description: String { message }

    /// The code of a batch refused because another process moved its file's checkpoint.
    public static let checkpointMoved = "checkpoint_moved"
    public var isCheckpointMoved: Bool { code == Self.checkpointMoved }

    /// A store failure in plain words, with the fix: SQLite's full, read-only and locked errors
    /// are what an operator meets; the rest keep SQLite's own message.
    public static func describing(_ error: any Error, path: String, doing: String) -> StoreError {
        if let error = error as? StoreError { return error }
        guard let error = error as? DatabaseError else {
            return StoreError(code: "store_failed", message: "cannot \(doing) database \(path): \(error)")
        }
        let detail = error.message ?? "\(error.resultCode)"
        switch error.resultCode {
        case .SQLITE_FULL:
            return StoreError(
                code: "disk_full",
                message: "disk full: cannot \(doing) database \(path) (\(detail)); free space on its file system")
        case .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_AUTH:
            return StoreError(
                code: "read_only",
                message: "database \(path) is read-only (\(detail)); make the file and its directory writable "
                    + "by this user, then restart sluice")
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return StoreError(
                code: "locked",
                message: "database \(path) is locked by another process (\(detail)); only one sluice may write to it, "
                    + "and a long-running sqlite3 session holds the lock too")
        case .SQLITE_IOERR, .SQLITE_CANTOPEN:
            return StoreError(
                code: "io_error",
                message: "cannot \(doing) database \(path): I/O error (\(detail)); check the disk and the file's "
                    + "directory")
        case .SQLITE_CORRUPT, .SQLITE_NOTADB:
            return StoreError(
                code: "corrupt",
                message: "database \(path) is damaged or not a Sluice database (\(detail)); restore it from a "
                    + "backup or move it away and replay the logs")
        default:
            return StoreError(code: "store_failed", message: "cannot \(doing) database \(path): \(detail)")
        }
    }
}

/// Decoded sketches as last committed by this store's writer, at a `PRAGMA data_version` of its
/// connection (which changes when any other connection commits).
struct SketchCache {
    var sketches: [String: AccountSketch] = [:]
    var version: Int64 = -1
    /// Entities kept: enough for every busy account of a large deployment; beyond it the cache
    /// starts over rather than track which to drop.
    static let limit = 4096

    /// The cached sketches, if nothing else has committed since they were kept; the cache is left empty.
    mutating func take(ifVersion current: Int64) -> [String: AccountSketch] {
        defer { self = SketchCache() }
        return current == version ? sketches : [:]
    }

    mutating func keep(_ sketches: [String: AccountSketch], version: Int64) {
        self.sketches = sketches.count <= Self.limit ? sketches : [:]
        self.version = version
    }
}
