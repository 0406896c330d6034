import Foundation
import GRDB
import SluiceCore

/// Schema migrations. Counter columns are generated from `Counter`, so a new counter is one
/// new migration adding its column.
enum Schema {
    static var counterColumns: String {
        Counter.allCases.map { "\($0.name) INTEGER NOT NULL DEFAULT 0" }.joined(separator: ",\n")
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE accounts (
                        id TEXT PRIMARY KEY NOT NULL,
                        parent TEXT,
                        first_seen REAL NOT NULL,
                        last_seen REAL NOT NULL,
                        sketch BLOB NOT NULL,
                        \(counterColumns)
                    );
                    CREATE INDEX accounts_parent ON accounts(parent) WHERE parent IS NOT NULL;
                    CREATE TABLE account_buckets (
                        account TEXT NOT NULL,
                        hour INTEGER NOT NULL,
                        \(counterColumns),
                        PRIMARY KEY (account, hour)
                    ) WITHOUT ROWID;
                    CREATE TABLE api_keys (
                        key_id TEXT PRIMARY KEY NOT NULL,
                        account TEXT NOT NULL
                    ) WITHOUT ROWID;
                    CREATE TABLE checkpoints (
                        identity TEXT PRIMARY KEY NOT NULL,
                        source TEXT NOT NULL,
                        path TEXT NOT NULL,
                        fingerprint TEXT NOT NULL,
                        offset INTEGER NOT NULL,
                        updated_at REAL NOT NULL
                    );
                    CREATE TABLE source_stats (
                        source TEXT NOT NULL,
                        reason TEXT NOT NULL,
                        count INTEGER NOT NULL,
                        PRIMARY KEY (source, reason)
                    ) WITHOUT ROWID;
                    CREATE TABLE bad_line_samples (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        source TEXT NOT NULL,
                        reason TEXT NOT NULL,
                        detail TEXT NOT NULL,
                        location TEXT NOT NULL,
                        at REAL NOT NULL
                    );
                    CREATE TABLE ingest_batches (
                        batch_id TEXT PRIMARY KEY NOT NULL,
                        at REAL NOT NULL
                    ) WITHOUT ROWID;
                    CREATE TABLE scores (
                        account TEXT PRIMARY KEY NOT NULL,
                        score REAL NOT NULL,
                        level TEXT NOT NULL,
                        reasons TEXT NOT NULL,
                        cluster TEXT,
                        scored_at REAL NOT NULL,
                        first_flagged_at REAL,
                        requests_at_flag INTEGER
                    );
                    CREATE INDEX scores_level ON scores(level, score);
                    CREATE TABLE score_history (
                        account TEXT NOT NULL,
                        at REAL NOT NULL,
                        score REAL NOT NULL,
                        level TEXT NOT NULL,
                        PRIMARY KEY (account, at)
                    ) WITHOUT ROWID;
                    CREATE TABLE scoring_runs (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        event_time REAL NOT NULL,
                        wall_time REAL NOT NULL,
                        accounts INTEGER NOT NULL,
                        flagged INTEGER NOT NULL,
                        seconds REAL NOT NULL
                    );
                    CREATE TABLE decisions (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        account TEXT NOT NULL,
                        kind TEXT NOT NULL CHECK (kind IN ('block', 'allow')),
                        actor TEXT NOT NULL,
                        reason TEXT NOT NULL,
                        created_at REAL NOT NULL,
                        expires_at REAL,
                        revoked_at REAL,
                        revoked_by TEXT,
                        revoke_reason TEXT,
                        changed_seq INTEGER NOT NULL DEFAULT 0
                    );
                    CREATE INDEX decisions_account ON decisions(account);
                    CREATE INDEX decisions_changed ON decisions(changed_seq);
                    CREATE TABLE audit_log (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        at REAL NOT NULL,
                        actor TEXT NOT NULL,
                        action TEXT NOT NULL,
                        account TEXT,
                        reason TEXT,
                        detail TEXT
                    );
                    """)
        }
        // Decisions: an expiry is recorded once (so pollers of the blocklist hear of it), audit
        // lines point at their decision, and both are read by account.
        migrator.registerMigration("v2") { db in
            try db.execute(
                sql: """
                    ALTER TABLE decisions ADD COLUMN expiry_noted INTEGER NOT NULL DEFAULT 0;
                    CREATE INDEX decisions_pending_expiry ON decisions(expires_at)
                        WHERE revoked_at IS NULL AND expiry_noted = 0 AND expires_at IS NOT NULL;
                    CREATE INDEX decisions_active ON decisions(kind, account) WHERE revoked_at IS NULL;
                    ALTER TABLE audit_log ADD COLUMN decision_id INTEGER;
                    CREATE INDEX audit_log_account ON audit_log(account, id);
                    """)
        }
        // HTTP batch ids are forgotten after a week: by their time.
        migrator.registerMigration("v3") { db in
            try db.execute(sql: "CREATE INDEX ingest_batches_at ON ingest_batches(at)")
        }
        // Counters added since: v1 creates every counter's column, so a database made by an
        // earlier version lacks the new ones, and one made by this version has them already.
        migrator.registerMigration("v4 counters", migrate: addMissingCounters)
        // Sketches from before format 3 do not count the end users that came back. Until then
        // every end user was an entity from its first request, so those with two requests or
        // more are the ones that did: each account's sketch starts counting from them.
        migrator.registerMigration("v5 returning end users") { db in
            var returning: [String: Int] = [:]
            let children = try Row.fetchCursor(
                db, sql: "SELECT id, parent FROM accounts WHERE parent IS NOT NULL AND requests >= 2")
            while let row = try children.next() {
                let (id, parent): (String, String) = (row[0], row[1])
                if !BatchAggregate.isKeyEntity(id, of: parent) { returning[parent, default: 0] += 1 }
            }
            for (account, count) in returning {
                // A sketch that does not decode is left as it is: the next batch starts it anew.
                guard
                    let data = try Data.fetchOne(
                        db, sql: "SELECT sketch FROM accounts WHERE id = ?", arguments: [account]),
                    var sketch = try? AccountSketch(encoded: [UInt8](data))
                else { continue }
                sketch.endUserEntities = max(sketch.endUserEntities, count)
                try db.execute(
                    sql: "UPDATE accounts SET sketch = ? WHERE id = ?", arguments: [Data(sketch.encoded()), account])
            }
        }
        migrator.registerMigration("v6 counters", migrate: addMissingCounters)  // resampled
        migrator.registerMigration("v7 counters", migrate: addMissingCounters)  // reasoning_tokens
        return migrator
    }

    /// Adds the column of every counter a database lacks.
    static func addMissingCounters(_ db: Database) throws {
        for table in ["accounts", "account_buckets"] {
            let present = Set(try db.columns(in: table).map(\.name))
            for counter in Counter.allCases where !present.contains(counter.name) {
                try db.execute(sql: "ALTER TABLE \(table) ADD COLUMN \(counter.name) INTEGER NOT NULL DEFAULT 0")
            }
        }
    }
}
