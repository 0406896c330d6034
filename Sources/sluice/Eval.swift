import ArgumentParser
import Foundation
import SluiceCore
import SluiceSimulator

struct Eval: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Replay labelled logs and report precision, recall, false positives and time to detection.",
        discussion: "An account counts as flagged when it reached level review or block at any scoring pass.")

    @OptionGroup var options: ConfigOptions

    @Option(
        help: ArgumentHelp(
            "labels.json: account → attack or benign.",
            discussion:
                "As `sluice simulate` writes it, {\"accounts\": {id: {\"persona\", \"label\"}}}; or {\"attack\": [id…], \"benign\": [id…], \"personas\": {id: persona}}; or {id: \"attack\" | \"benign\"}."
        ))
    var labels: String

    @Option(help: "Log format of the files.")
    var format = "litellm"

    @Option(help: "SQLite database file (default: a temporary one).")
    var db: String?

    @Flag(help: "Print the report as JSON.")
    var json = false

    @Argument(help: "Log files.")
    var logs: [String]

    func validate() throws {
        if logs.isEmpty { throw ValidationError("name at least one log file") }
        if LogFormat(rawValue: format) == nil {
            throw ValidationError("unknown format \"\(format)\"; use litellm, openai or nginx")
        }
    }

    func run() async throws {
        try await reportingErrors {
            let labelSet: Labels
            do {
                labelSet = try Labels.load(URL(fileURLWithPath: labels))
            } catch {
                throw UserError("cannot read labels \(labels): \(error)")
            }
            let outcomes = try await Self.outcomes(logs: logs, options: options, format: format, db: db)
            let report = Evaluation.evaluate(labels: labelSet, outcomes: outcomes)
            let seen = Set(outcomes.map(\.account))
            if !outcomes.isEmpty, !labelSet.accounts.keys.contains(where: seen.contains) {
                // Every number below would be about nothing: say why before printing them.
                FileHandle.standardError.write(
                    Data(
                        ("sluice: none of the \(labelSet.accounts.count) labelled accounts is in the logs' "
                            + "\(seen.count) accounts; check --format and the source's account fields "
                            + "(for nginx, auth.key_secret must be the one the labels were made with)\n").utf8))
            }
            if json {
                let encoder = JSONEncoder.sluice
                encoder.outputFormatting.insert(.prettyPrinted)
                print(String(decoding: try encoder.encode(report), as: UTF8.self))
            } else {
                print(report.table())
            }
        }
    }

    /// Replays the logs and reads back, for every account, whether and when it was first flagged.
    static func outcomes(logs: [String], options: ConfigOptions, format: String, db: String?) async throws
        -> [DetectionOutcome]
    {
        let run = try await Replay.ingest(files: logs, options: options, format: format, accountFields: [], db: db)
        defer { run.cleanUp() }
        return try await run.engine.store.outcomes().map {
            DetectionOutcome(
                account: $0.account, firstSeen: $0.firstSeen, requests: Int($0.requests),
                flagged: $0.firstFlaggedAt != nil,
                firstFlaggedAt: $0.firstFlaggedAt, requestsAtFlag: $0.requestsAtFlag.map(Int.init),
                reasonCodes: $0.reasons)
        }
    }
}
