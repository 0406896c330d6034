import GRDB
import GRDBSQLite

/// Binds the values of one row straight into a prepared statement and runs it. GRDB's
/// `StatementArguments` boxes every value in an existential; for the rows a batch writes (one
/// per account and hour, twenty-odd counters each) that cost more than SQLite's own work, on
/// the one thread that commits.
///
/// The statement is GRDB's (cached, in GRDB's transaction); GRDB resets and rebinds it before
/// it uses it again.
struct RowWriter {
    let statement: Statement
    let db: Database
    private var column: Int32 = 1

    init(_ statement: Statement, _ db: Database) {
        self.statement = statement
        self.db = db
        // GRDB may have left it stepped: binding needs it reset.
        sqlite3_reset(statement.sqliteStatement)
    }

    /// SQLite copies the value: the Swift buffer need not outlive the call.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    mutating func bind(_ value: Int64) {
        sqlite3_bind_int64(statement.sqliteStatement, next(), value)
    }

    mutating func bind(_ value: Double) {
        sqlite3_bind_double(statement.sqliteStatement, next(), value)
    }

    mutating func bind(_ text: String?) {
        let column = next()
        guard var text else {
            sqlite3_bind_null(statement.sqliteStatement, column)
            return
        }
        text.withUTF8 { bytes in
            _ = bytes.withMemoryRebound(to: CChar.self) {
                sqlite3_bind_text(statement.sqliteStatement, column, $0.baseAddress, Int32($0.count), Self.transient)
            }
        }
    }

    mutating func bind(blob: [UInt8]) {
        let column = next()
        blob.withUnsafeBytes { bytes in
            _ = sqlite3_bind_blob(
                statement.sqliteStatement, column, bytes.baseAddress, Int32(bytes.count), Self.transient)
        }
    }

    private mutating func next() -> Int32 {
        defer { column += 1 }
        return column
    }

    /// Runs the statement with the values bound since the last run.
    mutating func run() throws {
        defer {
            sqlite3_reset(statement.sqliteStatement)
            sqlite3_clear_bindings(statement.sqliteStatement)
            column = 1
        }
        precondition(column - 1 == sqlite3_bind_parameter_count(statement.sqliteStatement), "a value per parameter")
        let code = sqlite3_step(statement.sqliteStatement)
        guard code == SQLITE_DONE else {
            throw DatabaseError(
                resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)),
                sql: statement.sql)
        }
    }
}
