import Dispatch
import GRDB
import GRDBSQLite
import Synchronization

/// Copies the write-ahead log into the database on a thread and connection of its own.
///
/// SQLite's automatic checkpoint runs in the thread that commits, once the log passes 1,000
/// pages, and waits there for the disk to sync the log and the database: in a replay of 234k
/// lines, 143 syncs and ~1 s during which no batch committed. The writer's log hook, which
/// replaces the automatic checkpoint, hands the same work, at the same size, to this thread.
/// The checkpoint is PASSIVE, as the automatic one: it copies what no reader still needs and
/// never waits for a lock, so it holds up neither the writer nor a reader.
///
/// The log starts again from its beginning only when a write finds every page of it copied,
/// which a checkpoint running beside the writer may keep missing: in a replay the log grew to
/// ~60 MB (6 MB with the automatic checkpoint). Past `limit` pages the writer itself waits for
/// the running checkpoint and runs one, as the automatic checkpoint would: then nothing is
/// written in between, and the next write starts the log again. The log is bounded by `limit`
/// and one batch.
final class WALCheckpointer: @unchecked Sendable {
    // @unchecked: `connection` is touched only on `queue`.
    let path: String
    /// Pages in the log that start a checkpoint: SQLite's own default.
    let threshold: Int32
    /// Pages in the log past which the writer checkpoints itself.
    let limit: Int32
    private let queue = DispatchQueue(label: "sluice.wal-checkpoint")
    private let running = Atomic<Bool>(false)
    private var connection: OpaquePointer?
    /// Checkpoints run on the checkpointer's thread, and by the writer, for tests.
    let completed = Atomic<Int>(0)
    let completedByWriter = Atomic<Int>(0)

    /// - Parameters:
    ///   - threshold: pages in the log that start a checkpoint on this thread.
    ///   - limit: pages past which the writer checkpoints itself; 16 × `threshold` (64 MB of 4 KB pages) by default.
    init(path: String, threshold: Int32 = 1000, limit: Int32? = nil) {
        self.path = path
        self.threshold = threshold
        self.limit = limit ?? threshold * 16
    }

    deinit {
        if let connection { sqlite3_close_v2(connection) }
    }

    /// Installs the log hook on a connection (every connection of the pool: only the writer commits).
    /// The hook's context is unretained: `self` is captured by the configuration that every
    /// connection holds, so it outlives them.
    func watch(_ db: Database) {
        sqlite3_wal_hook(db.sqliteConnection, walHook, Unmanaged.passUnretained(self).toOpaque())
    }

    /// Returns once the checkpoint in flight, if any, is done: two checkpoints cannot run at once.
    func waitForRunning() { queue.sync {} }

    /// After a commit on `writer`: the log of database `name` now holds `pages` pages.
    func logGrew(to pages: Int32, writer: OpaquePointer?, name: UnsafePointer<CChar>?) {
        if pages >= limit {
            waitForRunning()
            if sqlite3_wal_checkpoint_v2(writer, name, SQLITE_CHECKPOINT_PASSIVE, nil, nil) == SQLITE_OK {
                completedByWriter.add(1, ordering: .relaxed)
            }
            return
        }
        guard pages >= threshold else { return }
        guard running.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else { return }
        queue.async {
            self.checkpoint()
            self.running.store(false, ordering: .releasing)
        }
    }

    private func checkpoint() {
        if connection == nil {
            var opened: OpaquePointer?
            guard sqlite3_open_v2(path, &opened, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nil) == SQLITE_OK else {
                sqlite3_close_v2(opened)
                return
            }
            // As the store's connections: the log is synced before it is copied, the database after.
            sqlite3_exec(opened, "PRAGMA synchronous = NORMAL", nil, nil, nil)
            connection = opened
        }
        // Busy (another process checkpointing) or failed: the next commit's hook tries again.
        if sqlite3_wal_checkpoint_v2(connection, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil) == SQLITE_OK {
            completed.add(1, ordering: .relaxed)
        }
    }
}

private func walHook(
    context: UnsafeMutableRawPointer?, db: OpaquePointer?, name: UnsafePointer<CChar>?, pages: Int32
) -> Int32 {
    if let context {
        Unmanaged<WALCheckpointer>.fromOpaque(context).takeUnretainedValue().logGrew(
            to: pages, writer: db, name: name)
    }
    return SQLITE_OK
}
