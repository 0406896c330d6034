import ArgumentParser
import Foundation
import SluiceCore
import SluiceStore

struct Replay: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Ingest log files to their end, score, and print the flagged accounts.",
        discussion: "Without --db the database is temporary. With --db, a second replay resumes from the checkpoints.")

    @OptionGroup var options: ConfigOptions

    @Option(help: "Log format: litellm, openai or nginx (default: the config's first source, else litellm).")
    var format: String?

    @Option(name: .customLong("account-field"), help: "Dotted path of the account field; repeat for fallbacks.")
    var accountFields: [String] = []

    @Option(help: "SQLite database file (default: a temporary one).")
    var db: String?

    @Option(help: "Lowest level to print: watch, review or block.")
    var level: String = "review"

    @Flag(help: "Print JSON: {\"flagged\":[…], \"accounts\", \"lines\", \"bad_lines\"}.")
    var json = false

    @Argument(help: "Log files to read.")
    var files: [String]

    func validate() throws {
        if files.isEmpty { throw ValidationError("name at least one log file") }
        if let format, LogFormat(rawValue: format) == nil {
            throw ValidationError("unknown format \"\(format)\"; use litellm, openai or nginx")
        }
        if Level(rawValue: level) == nil || level == "none" {
            throw ValidationError("level must be watch, review or block")
        }
    }

    func run() async throws {
        try await reportingErrors {
            let summary = try await Self.replay(
                files: files, options: options, format: format, accountFields: accountFields, db: db,
                minimum: Level(rawValue: level)!)
            if json {
                print(String(decoding: try JSONEncoder.sluice.encode(summary), as: UTF8.self))
            } else {
                print(Table.flagged(summary.flagged))
                print(
                    "\(summary.lines) records, \(summary.badLines) bad lines, \(summary.accounts) accounts, \(summary.flagged.count) flagged"
                )
            }
        }
    }

    struct Summary: Encodable {
        var flagged: [FlaggedAccount]
        var accounts: Int64
        var lines: Int64
        var badLines: Int64
        enum CodingKeys: String, CodingKey {
            case flagged, accounts, lines
            case badLines = "bad_lines"
        }
    }

    /// A finished ingest: the engine over its store, and the temporary folder to remove.
    struct Run {
        let engine: Engine
        let temporary: URL?
        func cleanUp() { if let temporary { try? FileManager.default.removeItem(at: temporary) } }
    }

    /// Reads `files` to their end into a store (temporary without `db`) and scores.
    static func ingest(files: [String], options: ConfigOptions, format: String?, accountFields: [String], db: String?)
        async throws -> Run
    {
        var configuration = try options.load()
        for file in files where !FileManager.default.isReadableFile(atPath: file) {
            throw UserError("cannot read \(file): no such file or not readable")
        }
        let base = configuration.sources.first
        let logFormat = format.flatMap(LogFormat.init(rawValue:)) ?? base?.format ?? .litellm
        let paths =
            accountFields.isEmpty
            ? (format == nil ? base?.account : nil) ?? logFormat.defaultAccountPaths : accountFields.map(FieldPath.init)
        configuration.sources = files.enumerated().map { index, file in
            Configuration.Source(
                name: files.count == 1 ? "replay" : "replay\(index)", path: file, format: logFormat, account: paths,
                startAt: .beginning)
        }
        var temporary: URL?
        if let db {
            configuration.storePath = db
        } else {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
                "sluice-replay-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            temporary = directory
            configuration.storePath = directory.appendingPathComponent("sluice.db").path
        }
        do {
            let engine = try Engine(configuration: configuration, logger: options.logger("sluice.replay"))
            let progress = ProgressLine()
            defer { progress.finish() }
            _ = try await engine.drainAll { lines in
                progress.update(
                    "\(ProgressLine.grouped(lines)) lines, "
                        + "\(ProgressLine.grouped(Int(Double(lines) / max(progress.elapsed, 0.001)))) lines/s")
            }
            return Run(engine: engine, temporary: temporary)
        } catch {
            if let temporary { try? FileManager.default.removeItem(at: temporary) }
            throw error
        }
    }

    static func replay(
        files: [String], options: ConfigOptions, format: String?, accountFields: [String], db: String?, minimum: Level
    ) async throws -> Summary {
        let run = try await ingest(files: files, options: options, format: format, accountFields: accountFields, db: db)
        defer { run.cleanUp() }
        let store = run.engine.store
        let counts = try await store.sourceCounts()
        let totals = try await store.totals()
        var flagged: [FlaggedAccount] = []
        var cursor: String?
        repeat {
            let page = try await store.flagged(minimum: minimum, limit: 1000, cursor: cursor)
            flagged += page.flagged
            cursor = page.nextCursor
        } while cursor != nil
        return Summary(
            flagged: flagged, accounts: totals.accounts, lines: counts.values.reduce(0) { $0 + $1.records },
            badLines: counts.values.reduce(0) { $0 + $1.badTotal })
    }
}
