import Foundation
import GRDB
import SluiceCore
import SluiceTestSupport
import Synchronization
import Testing

@testable import SluiceStore

func temporaryDatabase() throws -> String {
    let directory = try scratchDirectory("sluice-test")
    return directory.appendingPathComponent("test.db").path
}

func item(_ account: String, time: Double, prompt: String, completion: Int = 100, endUser: String? = nil) -> (
    RequestRecord, RequestFeatures
) {
    let record = RequestRecord(
        time: time, account: account, apiKeyID: "key:\(account)", endUser: endUser, ip: "198.51.100.4",
        promptTokens: 10,
        completionTokens: completion, messages: [ChatMessage(role: "user", text: prompt)])
    return (record, RequestFeatures(record))
}

@Suite struct StoreTests {
    @Test func commitsCountersSketchesAndCheckpointsThatReadBack() async throws {
        let store = try SQLiteStore(path: try temporaryDatabase())
        let t0 = 1_795_630_000.0
        let items = (0..<50).map {
            item("acme", time: t0 + Double($0) * 60, prompt: "question \($0)", endUser: "u\($0 % 2)")
        }
        var progress = IngestProgress(
            source: "s",
            checkpoint: Checkpoint(identity: "1:2", source: "s", path: "/x", fingerprint: "3:99", offset: 4096))
        progress.bad[.notJSON] = 2
        progress.skipped = 1
        #expect(try await store.commit(items, progress: progress) == .committed(records: 50))

        let profiles = try await store.profiles()
        let acme = try #require(profiles.first { $0.id == "acme" })
        #expect(acme.totals[.requests] == 50 && acme.totals[.completionTokens] == 5000 && acme.parent == nil)
        #expect(acme.sketch.firstSeen == t0 && acme.sketch.lastSeen == t0 + 49 * 60)
        let endUsers = profiles.filter { $0.parent == "acme" }
        // An end user is an entity from its second request: each one's first is the account's only.
        #expect(endUsers.count == 2 && endUsers.map { $0.totals[.requests] }.reduce(0, +) == 48)

        #expect(try await store.checkpoints() == [progress.checkpoint!])
        let counts = try await store.sourceCounts()
        #expect(counts["s"]?.records == 50 && counts["s"]?.skipped == 1 && counts["s"]?.bad == ["not_json": 2])
        #expect(try await store.account(forKey: "key:acme") == "acme")

        let detail = try #require(try await store.accountDetail("acme"))
        #expect(detail.requests == 50 && detail.endUsers.count == 2 && detail.features["completion_tokens"] == 5000)
    }

    /// A database written before the follow-up and resampling counters existed gains their
    /// columns and reads on.
    @Test func aDatabaseFromBeforeTheNewerCountersIsMigrated() async throws {
        let path = try temporaryDatabase()
        let t0 = 1_795_630_000.0
        _ = try await SQLiteStore(path: path).commit(
            [item("acme", time: t0, prompt: "first")], progress: IngestProgress(source: "s"))
        // Make it what the previous version left: no new columns, the migration not yet run.
        let queue = try DatabaseQueue(path: path)
        try await queue.write { db in
            for table in ["accounts", "account_buckets"] {
                try db.execute(sql: "ALTER TABLE \(table) DROP COLUMN sampled_follow_ups")
                try db.execute(sql: "ALTER TABLE \(table) DROP COLUMN continued_follow_ups")
                try db.execute(sql: "ALTER TABLE \(table) DROP COLUMN resampled")
                try db.execute(sql: "ALTER TABLE \(table) DROP COLUMN reasoning_tokens")
            }
            try db.execute(
                sql: "DELETE FROM grdb_migrations WHERE identifier IN ('v4 counters', 'v6 counters', 'v7 counters')")
        }
        try queue.close()
        let store = try SQLiteStore(path: path)
        _ = try await store.commit(
            [item("acme", time: t0 + 60, prompt: "second")], progress: IngestProgress(source: "s"))
        let acme = try #require(try await store.profiles().first { $0.id == "acme" })
        #expect(acme.totals[.requests] == 2 && acme.totals[.sampledFollowUps] == 0 && acme.totals[.resampled] == 0)
        #expect(acme.totals[.reasoningTokens] == 0)
    }

    /// A database from before sketches counted the end users that came back: its end-user
    /// entities with two requests or more (every end user was an entity then) are what it counts from.
    @Test func aDatabaseFromBeforeReturningEndUsersWereCountedIsMigrated() async throws {
        let path = try temporaryDatabase()
        let t0 = 1_795_630_000.0
        // Four end users with three requests (entities of two), one with two (an entity of one),
        // and a second key, whose entity is no end user.
        var items = (0..<4).flatMap { u in
            (0..<3).map { item("app", time: t0 + Double(u * 10 + $0), prompt: "q\(u) \($0)", endUser: "u\(u)") }
        }
        items += (0..<2).map { item("app", time: t0 + 100 + Double($0), prompt: "r\($0)", endUser: "u4") }
        var keyed = item("app", time: t0 + 200, prompt: "k").0
        keyed.apiKeyID = "key:other"
        items += Array(repeating: (keyed, RequestFeatures(keyed)), count: 3)
        _ = try await SQLiteStore(path: path).commit(items, progress: IngestProgress(source: "s"))
        // Make it what the previous version left: the count not kept, the migration not yet run.
        let queue = try DatabaseQueue(path: path)
        try await queue.write { db in
            let data = try #require(try Data.fetchOne(db, sql: "SELECT sketch FROM accounts WHERE id = 'app'"))
            var sketch = try AccountSketch(encoded: [UInt8](data))
            #expect(sketch.endUserEntities == 5)
            sketch.endUserEntities = 0
            try db.execute(sql: "UPDATE accounts SET sketch = ? WHERE id = 'app'", arguments: [Data(sketch.encoded())])
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'v5 returning end users'")
        }
        try queue.close()
        let profiles = try await SQLiteStore(path: path).profiles()
        #expect(profiles.contains { $0.id == "app::key:key:other" && $0.parent == "app" })
        let app = try #require(profiles.first { $0.id == "app" })
        #expect(app.sketch.endUserEntities == 4)
    }

    /// A batch starts from the sketches the writer kept from the last one, unless another
    /// connection (another process on the same file) committed since: then from the database.
    @Test func keptSketchesGiveWayToWhatAnotherProcessCommitted() async throws {
        let path = try temporaryDatabase()
        let first = try SQLiteStore(path: path)
        let second = try SQLiteStore(path: path)
        let t0 = 1_795_630_000.0
        func batch(_ hour: Int) -> [(RequestRecord, RequestFeatures)] {
            (0..<10).map { item("acme", time: t0 + Double(hour * 3600 + $0), prompt: "q\(hour) \($0)") }
        }
        let progress = IngestProgress(source: "s")
        _ = try await first.commit(batch(0), progress: progress)
        _ = try await second.commit(batch(1), progress: progress)
        _ = try await first.commit(batch(2), progress: progress)
        _ = try await first.commit(batch(3), progress: progress)
        let acme = try #require(try await first.profiles().first { $0.id == "acme" })
        // Every request of the four batches is in the sketch's hours, not only the first store's.
        #expect(acme.sketch.hourOfDay.reduce(0, +) == 40)
        #expect(acme.sketch.lastSeen == t0 + 3 * 3600 + 9)
        // The kept sketches are exactly what is stored.
        let stored = try #require(try await SQLiteStore(path: path).profiles().first { $0.id == "acme" })
        #expect(stored.sketch.encoded() == acme.sketch.encoded())
    }

    @Test func anAccountWithTwoKeysListsThemApartFromItsEndUsers() async throws {
        let store = try SQLiteStore(path: try temporaryDatabase())
        let items = (0..<40).map { i -> (RequestRecord, RequestFeatures) in
            var (record, _) = item("team", time: 1_795_630_000 + Double(i) * 60, prompt: "q\(i)", endUser: "u\(i % 3)")
            record.apiKeyID = "k\(i % 2)"
            return (record, RequestFeatures(record))
        }
        _ = try await store.commit(items, progress: IngestProgress(source: "s"))
        let detail = try #require(try await store.accountDetail("team"))
        #expect(Set(detail.apiKeys) == ["team::key:k0", "team::key:k1"])
        #expect(Set(detail.endUsers) == ["team::u0", "team::u1", "team::u2"])
        // The first key's own entity starts with the second key: its first request went to the account only.
        let profiles = try await store.profiles()
        #expect(profiles.first { $0.id == "team::key:k0" }?.totals[.requests] == 19)
        #expect(profiles.first { $0.id == "team::key:k1" }?.kind == .apiKey)
    }

    /// A scoring pass reads profiles in chunks that another thread decodes: across several chunks,
    /// every entity comes back once, in storage order, as a plain read of the same rows gives it.
    @Test func profilesReadInChunksMatchAPlainReadOfTheRows() async throws {
        let store = try SQLiteStore(path: try temporaryDatabase())
        let t0 = 1_795_630_000.0
        // 2,600 accounts with one end user each: 5,200 entities, three chunks. An end user is an
        // entity from its second request: its entity has one request fewer than its account.
        var items: [(RequestRecord, RequestFeatures)] = []
        for a in 0..<2600 {
            for r in 0..<(2 + a % 4) {
                let time = t0 + Double(a * 10 + r)
                items.append(item("acct\(a)", time: time, prompt: "q\(a) \(r)", completion: a, endUser: "u\(a)"))
            }
        }
        _ = try await store.commit(items, progress: IngestProgress(source: "s"))
        let columns = SQLiteStore.bucketColumns.joined(separator: ", ")
        let plain = try await store.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT id, parent, sketch, \(columns) FROM accounts WHERE requests >= 2").map {
                row in
                let counters = Counters(values: (0..<Counter.allCases.count).map { row[3 + $0] as Int64 })
                let sketch = try AccountSketch(encoded: [UInt8](row[2] as Data), seenPrompts: false)
                return AccountProfile(id: row[0], parent: row[1], totals: counters, sketch: sketch)
            }
        }
        let chunked = try await store.profiles(minimumRequests: 2)
        #expect(plain.count == 2600 + 1950 && chunked.count == plain.count)
        #expect(chunked.map(\.id) == plain.map(\.id) && chunked.map(\.parent) == plain.map(\.parent))
        #expect(chunked.map(\.totals) == plain.map(\.totals))
        #expect(chunked.map { $0.sketch.encoded() } == plain.map { $0.sketch.encoded() })
        #expect(
            chunked.contains { $0.id == "acct7::u7" && $0.parent == "acct7" && $0.totals[.completionTokens] == 4 * 7 })
        // Accounts (which may join a cluster young) from a lower floor than end users.
        let split = try await store.profiles(minimumRequests: 4, minimumAccountRequests: 3)
        #expect(split.filter { $0.parent == nil }.count == 1950 && split.filter { $0.parent != nil }.count == 650)
        #expect(split.allSatisfy { $0.totals[.requests] >= ($0.parent == nil ? 3 : 4) })
    }

    /// An account's detail carries its last week of traffic by hour, from the hourly counters.
    @Test func accountDetailShowsTheLastWeekByHour() async throws {
        let store = try SQLiteStore(path: try temporaryDatabase())
        let t0 = 1_795_629_600.0  // on the hour
        var failed = item("acme", time: t0 + 190 * 3600 + 120, prompt: "b")
        failed.0.status = 500
        let items = [
            item("acme", time: t0 + 10, prompt: "a"),  // 200 hours before the last request: out of the week
            item("acme", time: t0 + 190 * 3600 + 60, prompt: "b", completion: 40),
            failed,
            item("acme", time: t0 + 200 * 3600 + 5, prompt: "c"),
        ]
        _ = try await store.commit(items, progress: IngestProgress(source: "s"))
        let activity = try #require(try await store.accountDetail("acme")).activity
        #expect(activity.map(\.hour) == [t0 + 190 * 3600, t0 + 200 * 3600].map(Date.init(timeIntervalSince1970:)))
        #expect(activity.map(\.requests) == [2, 1])
        #expect(activity.map(\.errors) == [1, 0])
        #expect(activity.map(\.completionTokens) == [140, 100])
    }

    @Test func hourlyBucketsAddUpAcrossBatches() async throws {
        let path = try temporaryDatabase()
        let store = try SQLiteStore(path: path)
        let t0 = 1_795_629_600.0  // on the hour
        _ = try await store.commit(
            [item("a", time: t0, prompt: "x"), item("a", time: t0 + 4000, prompt: "y")],
            progress: IngestProgress(source: "s"))
        _ = try await store.commit([item("a", time: t0 + 10, prompt: "z")], progress: IngestProgress(source: "s"))
        let queue = try DatabaseQueue(path: path)
        let rows = try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT hour, requests FROM account_buckets WHERE account = 'a' ORDER BY hour")
        }
        #expect(rows.map { $0[1] as Int64 } == [2, 1])
        let totals = try #require(try await store.profiles().first { $0.id == "a" })
        #expect(totals.totals[.requests] == 3)
    }

    @Test func aFailedCommitLeavesNeitherDeltasNorCheckpoint() async throws {
        let path = try temporaryDatabase()
        let store = try SQLiteStore(path: path)
        _ = try await store.commit(
            [item("a", time: 1_795_630_000, prompt: "x")],
            progress: IngestProgress(
                source: "s",
                checkpoint: Checkpoint(identity: "1:1", source: "s", path: "/x", fingerprint: "", offset: 10)))
        // Make the checkpoint write fail after the deltas were written in the same transaction.
        let queue = try DatabaseQueue(path: path)
        try await queue.write { db in
            try db.execute(
                sql:
                    "CREATE TRIGGER fail_checkpoint BEFORE UPDATE ON checkpoints BEGIN SELECT RAISE(ABORT, 'injected'); END"
            )
        }
        await #expect(throws: (any Error).self) {
            try await store.commit(
                [item("a", time: 1_795_630_100, prompt: "y")],
                progress: IngestProgress(
                    source: "s",
                    checkpoint: Checkpoint(identity: "1:1", source: "s", path: "/x", fingerprint: "", offset: 20)))
        }
        let a = try #require(try await store.profiles().first { $0.id == "a" })
        #expect(a.totals[.requests] == 1)
        #expect(try await store.checkpoints().first?.offset == 10)
        #expect(try await store.sourceCounts()["s"]?.records == 1)
    }

    @Test func aBatchIDIsCountedOnce() async throws {
        let store = try SQLiteStore(path: try temporaryDatabase())
        let batch = [item("a", time: 1_795_630_000, prompt: "x")]
        #expect(
            try await store.commit(batch, progress: IngestProgress(source: "http", batchID: "b1"))
                == .committed(records: 1))
        #expect(try await store.commit(batch, progress: IngestProgress(source: "http", batchID: "b1")) == .duplicate)
        #expect(try await store.profiles().first?.totals[.requests] == 1)
    }

    /// Several processes (here connections) opening one new database at once all find it migrated.
    @Test func concurrentOpensOfANewDatabaseAllSucceed() throws {
        for _ in 0..<5 {
            let path = try temporaryDatabase()
            let failures = Mutex<[String]>([])
            DispatchQueue.concurrentPerform(iterations: 6) { _ in
                do {
                    _ = try SQLiteStore(path: path)
                } catch {
                    failures.withLock { $0.append("\(error)") }
                }
            }
            #expect(failures.withLock { $0 } == [])
        }
    }

    /// The write-ahead log is copied into the database by the store's own thread, once it passes
    /// SQLite's 1,000 pages, instead of by SQLite's automatic checkpoint in the committing thread.
    @Test func theLogIsCheckpointedOnAThreadOfItsOwn() async throws {
        let path = try temporaryDatabase()
        let store = try SQLiteStore(path: path)
        func fileSize() throws -> Int { try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0 }
        // The schema is still in the log: the database file is only its header.
        let sizeBefore = try fileSize()
        let t0 = 1_795_630_000.0
        // Every batch rewrites the rows and sketches of 200 accounts.
        var batch = 0
        while store.checkpointer.completed.load(ordering: .relaxed) == 0 && batch < 400 {
            let items = (0..<200).map {
                item("acct-\($0)", time: t0 + Double(batch), prompt: "batch \(batch) of \($0)")
            }
            _ = try await store.commit(items, progress: IngestProgress(source: "s"))
            batch += 1
            if batch > 30 { try await Task.sleep(for: .milliseconds(5)) }
        }
        #expect(store.checkpointer.completed.load(ordering: .relaxed) > 0, "no checkpoint after \(batch) batches")
        // The log's pages were copied into the database file.
        #expect(try fileSize() > sizeBefore + 100_000)
        #expect(try await store.profiles().count == 200)
        #expect(try await store.integrityCheck() == "ok")
    }

    /// The log starts again from its beginning only when a write finds all of it copied, which a
    /// checkpoint beside the writer may keep missing: past its limit the writer checkpoints itself.
    @Test func theLogStaysBoundedWhenCheckpointsLagBehindTheWriter() async throws {
        let path = try temporaryDatabase()
        // The checkpointer's thread never gets to it (as if it always lagged): only the limit bounds the log.
        let checkpointer = WALCheckpointer(path: path, threshold: .max, limit: 128)
        var configuration = GRDB.Configuration()
        configuration.prepareDatabase { db in checkpointer.watch(db) }
        let pool = try DatabasePool(path: path, configuration: configuration)
        try await pool.write { try $0.execute(sql: "CREATE TABLE t (b BLOB)") }
        func logSize() -> Int { (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0 }
        var largest = 0
        for _ in 0..<400 {
            // About three pages a write: 1,200 pages in all.
            try await pool.write { try $0.execute(sql: "INSERT INTO t VALUES (randomblob(6000))") }
            largest = max(largest, logSize())
        }
        #expect(checkpointer.completedByWriter.load(ordering: .relaxed) > 0)
        // The limit and one write, in frames of a 24-byte header and a 4 KB page, after the log's header.
        let bound = 32 + Int(checkpointer.limit + 8) * (24 + 4096)
        #expect(largest <= bound, "the log reached \(largest) bytes")
        #expect(try await pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM t") } == 400)
    }

    /// Batch ids are remembered for `batchIDRetention`, not forever: the table would grow a row per batch.
    @Test func batchIDsAreForgottenAfterAWeek() async throws {
        let path = try temporaryDatabase()
        let now = Date().timeIntervalSince1970
        do {
            let store = try SQLiteStore(path: path)
            _ = try await store.commit([], progress: IngestProgress(source: "http", batchID: "first"))
        }
        // Written by hand, as if sent eight and six days ago.
        let queue = try DatabaseQueue(path: path)
        try await queue.write { db in
            try db.execute(
                sql: "INSERT INTO ingest_batches(batch_id, at) VALUES ('old', ?), ('recent', ?)",
                arguments: [now - 8 * 86_400, now - 6 * 86_400])
        }
        let store = try SQLiteStore(path: path)
        let batch = [item("a", time: 1_795_630_000, prompt: "x")]
        #expect(try await store.commit(batch, progress: IngestProgress(source: "http", batchID: "new")) != .duplicate)
        let kept = try await queue.read { db in
            try String.fetchAll(db, sql: "SELECT batch_id FROM ingest_batches ORDER BY batch_id")
        }
        #expect(kept == ["first", "new", "recent"])
        #expect(
            try await store.commit(batch, progress: IngestProgress(source: "http", batchID: "recent")) == .duplicate)
        #expect(try await store.commit(batch, progress: IngestProgress(source: "http", batchID: "old")) != .duplicate)
    }

    @Test func scoresRecordTheFirstFlagOnce() async throws {
        let store = try SQLiteStore(path: try temporaryDatabase())
        _ = try await store.commit(
            (0..<5).map { item("a", time: 1_795_630_000 + Double($0), prompt: "p\($0)") },
            progress: IngestProgress(source: "s"))
        let reason = Reason(code: "novelty", summary: "all new", value: 0.9)
        try await store.save(
            [Assessment(account: "a", score: 0.8, level: .review, reasons: [reason])], eventTime: 1_795_631_000,
            seconds: 0.01)
        _ = try await store.commit([item("a", time: 1_795_632_000, prompt: "q")], progress: IngestProgress(source: "s"))
        try await store.save(
            [Assessment(account: "a", score: 0.9, level: .block, reasons: [reason])], eventTime: 1_795_633_000,
            seconds: 0.01)
        let page = try await store.flagged(minimum: .review, limit: 10, cursor: nil)
        let flagged = try #require(page.flagged.first)
        #expect(flagged.level == .block && flagged.requestsAtFlag == 5 && flagged.requests == 6)
        #expect(flagged.firstFlaggedAt == Date(timeIntervalSince1970: 1_795_631_000))
        #expect(flagged.reasons == [reason])
        #expect(try await store.flagged(minimum: .review, limit: 10, cursor: nil).nextCursor == nil)
        #expect(try await store.accountDetail("a")?.scoreHistory.count == 2)
    }
}
