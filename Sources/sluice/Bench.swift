import ArgumentParser
import Foundation
import Logging
import SluiceCore
import SluiceIngest
import SluiceStore
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// `sluice bench`: the four measurements of the performance targets, each against its
/// reference on the same machine in the same run. Not part of the timed test suite; its
/// `--smoke` run is.
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure ingest, the gateway check, scoring and tailing against references, in one run.",
        discussion: """
            1. ingest: `sluice simulate` writes a LiteLLM log (--days 4: about 230k lines); `sluice replay` reads it (every feature, SQLite) under /usr/bin/time -v, and Benchmarks/reference_ingest.py (Python, orjson) reads the same file: lines/s, MB/s, the ratio, CPU time a line and peak RSS. --rounds alternate the two; the median round is reported, with the range of all. Then parse and features alone are timed on one core: the most a replay could reach on this machine's cores were storing and scoring free.

            2. gateway: wrk -t2 -c64 -d10s on GET /v1/check with 10k blocked accounts, then on nginx `return 204`.

            3. scoring: one pass over 100k accounts: wall and CPU time, peak RSS.

            4. tail: lag while a writer appends 20k lines/s to a file `sluice serve` tails.

            Needs python3 with orjson, wrk and nginx for the references; a part whose tools are missing is skipped.
            """)

    @Option(help: "Work folder (default: a temporary one, removed afterwards).")
    var out: String?

    @Option(help: "Days of simulated traffic for the ingest test.")
    var days = 4

    @Option(help: "Rounds of the ingest test, each a replay then the reference; the median round is reported.")
    var rounds = 3

    @Option(help: "Prompt corpora for `sluice simulate` (default: ../shared/data when it exists).")
    var corpora: String?

    @Option(help: "The reference ingest script.")
    var reference = "Benchmarks/reference_ingest.py"

    @Option(help: "Accounts in the scoring test.")
    var accounts = 100_000

    @Option(help: "Blocked accounts in the gateway test.")
    var blocks = 10_000

    @Option(help: "Seconds of each wrk run.")
    var wrkSeconds = 10

    @Option(help: "Lines per second appended in the tail test.")
    var tailRate = 20_000

    @Option(help: "Seconds the tail test writes.")
    var tailSeconds = 15

    @Flag(help: "A tiny run of every part (seconds, not minutes): the test suite's check that the bench works.")
    var smoke = false

    @Flag(help: "Print the results as JSON.")
    var json = false

    @Option(help: .hidden)
    var part: String?

    /// `--part stages`: the LiteLLM log to read, and how many of its lines.
    @Option(help: .hidden)
    var log: String?
    @Option(help: .hidden)
    var lines = 20_000

    @Option(help: "Run only these parts, comma-separated (\(Bench.partNames.joined(separator: ", "))).")
    var only: String?

    func run() async throws {
        try await reportingErrors {
            if part == "stages" {
                // A profiling aid, not a target: one core's time per line and stage.
                guard let log else { throw ValidationError("--part stages reads the LiteLLM log named by --log") }
                print(try StagesBench.run(file: log, lines: lines).description)
                return
            }
            if part == "scoring" {
                let result = try await ScoringBench.run(accounts: accounts, folder: out ?? NSTemporaryDirectory())
                print(String(decoding: try JSONEncoder().encode(result), as: UTF8.self))
                return
            }
            let folder: URL
            if let out {
                folder = URL(fileURLWithPath: out)
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            } else {
                folder = FileManager.default.temporaryDirectory.appendingPathComponent(
                    "sluice-bench-\(UUID().uuidString)")
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            }
            defer { if out == nil { try? FileManager.default.removeItem(at: folder) } }
            var results = BenchResults(machine: Machine.describe(), date: ISO8601DateFormatter().string(from: Date()))
            let settings = smoke ? Settings.smoke : Settings(self)
            let log = Progress(quiet: json)
            let parts = try only.map(Self.parts(of:))
            func runs(_ name: String) -> Bool { parts?.contains(name) ?? true }
            // The ingest and tail tests both read one simulated log.
            let traffic =
                runs("ingest") || runs("tail")
                ? try IngestBench.simulate(settings, folder: folder, corpora: corpora, log: log) : ""
            if runs("ingest") {
                results.ingest = try await IngestBench.run(
                    settings, traffic: traffic, folder: folder, reference: reference, log: log)
            }
            if runs("scoring") { results.scoring = try ScoringBench.measure(settings, folder: folder, log: log) }
            if runs("gateway") { results.gateway = try await GatewayBench.run(settings, folder: folder, log: log) }
            if runs("tail") {
                results.tail = try await TailBench.run(settings, traffic: traffic, folder: folder, log: log)
            }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                print(String(decoding: try encoder.encode(results), as: UTF8.self))
            } else {
                print(results.table)
            }
        }
    }

    static let partNames = ["ingest", "scoring", "gateway", "tail"]

    /// `--only`'s list, each name checked.
    static func parts(of list: String) throws -> Set<String> {
        let names = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        if let unknown = names.first(where: { !partNames.contains($0) }) {
            throw UserError("--only: unknown part '\(unknown)' (parts: \(partNames.joined(separator: ", ")))")
        }
        return Set(names)
    }

    /// The sizes of one run.
    struct Settings {
        var days: Int
        var scale = 1.0
        var accounts: Int
        var blocks: Int
        var wrkSeconds: Int
        var tailRate: Int
        var tailSeconds: Int
        var ingestRounds: Int

        init(_ bench: Bench) {
            days = bench.days
            ingestRounds = bench.rounds
            accounts = bench.accounts
            blocks = bench.blocks
            wrkSeconds = bench.wrkSeconds
            tailRate = bench.tailRate
            tailSeconds = bench.tailSeconds
        }

        init(
            days: Int, scale: Double, accounts: Int, blocks: Int, wrkSeconds: Int, tailRate: Int, tailSeconds: Int,
            ingestRounds: Int
        ) {
            self.days = days
            self.ingestRounds = ingestRounds
            self.scale = scale
            self.accounts = accounts
            self.blocks = blocks
            self.wrkSeconds = wrkSeconds
            self.tailRate = tailRate
            self.tailSeconds = tailSeconds
        }

        static let smoke = Settings(
            days: 1, scale: 0.01, accounts: 500, blocks: 50, wrkSeconds: 1, tailRate: 500, tailSeconds: 2,
            ingestRounds: 1)
    }
}

// MARK: - Results

struct BenchResults: Codable {
    var machine: String
    var date: String
    var ingest: IngestResult?
    var gateway: GatewayResult?
    var scoring: ScoringResult?
    var tail: TailResult?

    var table: String {
        var rows: [[String]] = [["measure", "Sluice", "reference", "ratio", "target", "met"]]
        func number(_ value: Double, _ digits: Int = 0) -> String { String(format: "%.\(digits)f", value) }
        if let i = ingest {
            let ratio = i.referenceLinesPerSecond.map { i.linesPerSecond / $0 }
            // With several rounds: the median round's ratio, then the range of all.
            let spread =
                (i.ratios ?? []).count > 1
                ? " (\(number(i.ratios!.min()!, 2))–\(number(i.ratios!.max()!, 2))× in \(i.ratios!.count) rounds)" : ""
            rows.append([
                "ingest lines/s (\(i.lines) lines, \(number(i.megabytes)) MB)", number(i.linesPerSecond),
                i.referenceLinesPerSecond.map { number($0) } ?? "skipped",
                ratio.map { number($0, 2) + "×" + spread } ?? "-",
                "≥ 2×", ratio.map { $0 >= 2 ? "yes" : "no" } ?? "-",
            ])
            rows.append([
                "ingest MB/s", number(i.megabytesPerSecond, 1),
                i.referenceMegabytesPerSecond.map { number($0, 1) } ?? "-",
                "", "", "",
            ])
            if let cpu = i.cpuSeconds {
                // Wall time is what the target compares; CPU time says what each line costs, all cores counted.
                rows.append([
                    "ingest CPU µs per line (user + system)", number(cpu / Double(i.lines) * 1e6, 1),
                    i.referenceCPUSeconds.map { number($0 / Double(i.lines) * 1e6, 1) } ?? "-", "", "", "",
                ])
            }
            if let analysis = i.analysisMicrosecondsPerLine, let cores = i.cores {
                let reference = i.referenceCPUSeconds.map { $0 / Double(i.lines) * 1e6 }
                // Every core parsing and featurising, nothing else: the most a replay could reach here.
                let bound = reference.map {
                    "at most " + number(Double(cores) * $0 / analysis, 2) + "× on \(cores) cores"
                }
                rows.append([
                    "ingest parse + features alone, one core (µs per line)", number(analysis, 1),
                    reference.map { number($0, 1) } ?? "-", bound ?? "-", "", "",
                ])
            }
            rows.append([
                "ingest peak RSS MB", i.peakRSSMegabytes.map { number($0) } ?? "-",
                i.referencePeakRSSMegabytes.map { number($0) } ?? "-", "", "≤ 300",
                i.peakRSSMegabytes.map { $0 <= 300 ? "yes" : "no" } ?? "-",
            ])
        }
        if let g = gateway {
            if let skipped = g.skipped {
                rows.append(["gateway check", "skipped: \(skipped)", "", "", "", ""])
            } else {
                let rps = g.sluiceRequestsPerSecond / g.nginxRequestsPerSecond
                let p99 = g.sluiceP99Milliseconds / g.nginxP99Milliseconds
                rows.append([
                    "check requests/s (\(g.blocks) blocks)", number(g.sluiceRequestsPerSecond),
                    number(g.nginxRequestsPerSecond),
                    number(rps, 2) + "×", "≥ 0.5×", rps >= 0.5 ? "yes" : "no",
                ])
                rows.append([
                    "check p99 ms", number(g.sluiceP99Milliseconds, 2), number(g.nginxP99Milliseconds, 2),
                    number(p99, 2) + "×", "≤ 2×", p99 <= 2 ? "yes" : "no",
                ])
            }
        }
        if let s = scoring {
            rows.append([
                "scoring pass, \(s.accounts) accounts (s)", number(s.seconds, 2), "", "", "< 2 s",
                s.seconds < 2 ? "yes" : "no",
            ])
            if let cpu = s.cpuSeconds {
                rows.append(["scoring pass CPU (s, all cores)", number(cpu, 2), "", "", "", ""])
            }
            rows.append(["scoring pass peak RSS MB", number(s.peakRSSMegabytes), "", "", "", ""])
            if let steps = s.steps {
                let split = [steps.load, steps.assess, steps.save].map { number($0, 2) }.joined(separator: " / ")
                rows.append(["scoring pass load / assess / save (s)", split, "", "", "", ""])
            }
        }
        if let t = tail {
            rows.append([
                "tail lag at \(number(t.linesPerSecondWritten)) lines/s written (max s)", number(t.maxLagSeconds, 2),
                "",
                "", "< 1 s", t.maxLagSeconds < 1 ? "yes" : "no",
            ])
        }
        let header =
            "| " + rows[0].joined(separator: " | ") + " |\n|" + rows[0].map { _ in "---" }.joined(separator: "|") + "|"
        let body = rows.dropFirst().map { "| " + $0.joined(separator: " | ") + " |" }.joined(separator: "\n")
        return "\(machine), \(date)\n\n\(header)\n\(body)"
    }
}

struct IngestResult: Codable {
    var lines: Int
    var megabytes: Double
    var seconds: Double
    var linesPerSecond: Double
    var megabytesPerSecond: Double
    var peakRSSMegabytes: Double?
    var referenceSeconds: Double?
    var referenceLinesPerSecond: Double?
    var referenceMegabytesPerSecond: Double?
    var referencePeakRSSMegabytes: Double?
    var referenceSkipped: String?
    /// CPU time, user and system on every core, of the median round's replay and reference.
    var cpuSeconds: Double?
    var referenceCPUSeconds: Double?
    /// Parse and features alone, one core, µs a line (`--part stages` on the same log): what every
    /// line costs before anything is stored. With the reference's CPU a line and the cores, it
    /// bounds the ratio a replay could reach if storing and scoring were free.
    var analysisMicrosecondsPerLine: Double?
    var cores: Int?
    /// Rounds of replay then reference; the numbers above are of the median round.
    var rounds: Int?
    /// Each round's ratio of lines per second, Sluice over the reference.
    var ratios: [Double]?
}

struct GatewayResult: Codable {
    var blocks: Int
    var skipped: String?
    var sluiceRequestsPerSecond: Double = 0
    var sluiceP99Milliseconds: Double = 0
    var sluiceP50Milliseconds: Double = 0
    var nginxRequestsPerSecond: Double = 0
    var nginxP99Milliseconds: Double = 0
    var nginxP50Milliseconds: Double = 0
}

struct ScoringResult: Codable {
    var accounts: Int
    /// Accounts the pass flagged (the bench's accounts are alike and harmless: normally none).
    var flagged: Int
    var seconds: Double
    /// CPU time of the whole process during the pass, on every core.
    var cpuSeconds: Double?
    var peakRSSMegabytes: Double
    /// The pass's steps: load, assess, save.
    var steps: PassTimings?
}

struct TailResult: Codable {
    var linesWritten: Int
    var linesPerSecondWritten: Double
    var maxLagSeconds: Double
    var samples: Int
    var drainSeconds: Double
}

// MARK: - Ingest

enum IngestBench {
    /// Writes the simulated LiteLLM log both tests read; returns its path.
    static func simulate(_ settings: Bench.Settings, folder: URL, corpora: String?, log: Progress) throws -> String {
        let simulation = folder.appendingPathComponent("sim")
        var arguments = ["simulate", "--out", simulation.path, "--days", "\(settings.days)", "--seed", "1"]
        if settings.scale != 1 { arguments += ["--scale", "\(settings.scale)"] }
        if let corpora = corpora ?? (FileManager.default.fileExists(atPath: "../shared/data") ? "../shared/data" : nil)
        {
            arguments += ["--corpora", corpora]
        }
        log("simulating \(settings.days) day\(settings.days == 1 ? "" : "s") of traffic")
        _ = try Subprocess.run(Subprocess.sluice, arguments)
        return simulation.appendingPathComponent("traffic.jsonl").path
    }

    static func run(
        _ settings: Bench.Settings, traffic: String, folder: URL, reference: String, log: Progress
    ) async throws -> IngestResult {
        let (lines, bytes) = try countLines(traffic)

        // Rounds alternate the two, so that both see the same machine: on a shared one, either
        // alone ran 30-50% faster or slower from one minute to the next. A round's ratio is of
        // its two neighbouring runs; the result is the median round.
        let hasReference = FileManager.default.fileExists(atPath: reference)
        var rounds: [(replay: Subprocess.Timed, reference: [String: Any]?, referenceRun: Subprocess.Timed?)] = []
        var referenceSkipped = hasReference ? nil : "\(reference) not found (run from the package folder)"
        for round in 1...settings.ingestRounds {
            let of = settings.ingestRounds > 1 ? " (round \(round) of \(settings.ingestRounds))" : ""
            log("replaying \(lines) lines\(of)")
            let database = folder.appendingPathComponent("replay-\(round).db").path
            let replay = try Subprocess.timed(Subprocess.sluice, ["replay", "--db", database, "--json", traffic])
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database + suffix) }
            var report: [String: Any]?
            var run: Subprocess.Timed?
            if referenceSkipped == nil {
                log("running the reference \(reference)\(of)")
                do {
                    let python = try Subprocess.timed("/usr/bin/env", ["python3", reference, traffic])
                    report = try JSONSerialization.jsonObject(with: Data(python.output.utf8)) as? [String: Any]
                    run = python
                } catch {
                    referenceSkipped = "\(error) (needs python3 with orjson)"
                }
            }
            rounds.append((replay, report, run))
        }
        let ratios = rounds.compactMap { round in
            (round.reference?["lines_per_second"] as? Double).map { Double(lines) / round.replay.seconds / $0 }
        }
        // The median round: by its ratio when there is a reference, else by the replay's time.
        let ordered: [Int]
        if ratios.count == rounds.count {
            ordered = rounds.indices.sorted { ratios[$0] < ratios[$1] }
        } else {
            ordered = rounds.indices.sorted { rounds[$0].replay.seconds < rounds[$1].replay.seconds }
        }
        let median = rounds[ordered[ordered.count / 2]]
        var result = IngestResult(
            lines: lines, megabytes: Double(bytes) / 1e6, seconds: median.replay.seconds,
            linesPerSecond: Double(lines) / median.replay.seconds,
            megabytesPerSecond: Double(bytes) / 1e6 / median.replay.seconds,
            peakRSSMegabytes: rounds.compactMap(\.replay.peakRSSMegabytes).max())
        result.cpuSeconds = median.replay.cpuSeconds
        log("timing parse and features on one core")
        result.analysisMicrosecondsPerLine = try StagesBench.run(file: traffic, lines: min(lines, 20_000)).analysis
        result.cores = Cores.available
        result.rounds = rounds.count
        result.ratios = ratios
        result.referenceSkipped = referenceSkipped
        if referenceSkipped == nil, let report = median.reference {
            result.referenceSeconds = report["seconds"] as? Double
            result.referenceLinesPerSecond = report["lines_per_second"] as? Double
            result.referenceMegabytesPerSecond = report["mb_per_second"] as? Double
            result.referencePeakRSSMegabytes = rounds.compactMap(\.referenceRun?.peakRSSMegabytes).max()
            result.referenceCPUSeconds = median.referenceRun?.cpuSeconds
        }
        return result
    }

    static func countLines(_ path: String) throws -> (lines: Int, bytes: Int) {
        let data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        let lines = data.withUnsafeBytes { raw in raw.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) } }
        return (lines, data.count)
    }
}

// MARK: - Scoring

/// One core's time per line in each stage of ingestion, over the first lines of a LiteLLM log:
/// where to look first when ingest is slow. `sluice bench --part stages --log LOG [--lines N]`.
enum StagesBench {
    /// Microseconds a line, on one core, of each stage.
    struct Times {
        var lines: Int
        var bytesPerLine: Int
        var utf8: Double
        var tape: Double
        var parse: Double
        var features: Double
        var aggregate: Double

        /// What every core does for each line before the commit: parse and features.
        var analysis: Double { parse + features }

        var description: String {
            let rows: [(String, Double)] = [
                ("UTF-8 check", utf8), ("JSON checked into a tape", tape), ("mapping to a record", parse - tape - utf8),
                ("line to record (all of the above)", parse), ("features (text digests)", features),
                ("batch aggregate", aggregate),
            ]
            return "\(lines) lines, \(bytesPerLine) bytes a line; one core, per line:\n"
                + rows.map {
                    "  \($0.0.padding(toLength: 36, withPad: " ", startingAt: 0)) "
                        + String(format: "%8.2f µs", $0.1)
                }.joined(separator: "\n")
        }
    }

    static func run(file: String, lines limit: Int) throws -> Times {
        let lines = try firstLines(of: file, limit: limit)
        let parser = LogParser(format: .litellm, keyHasher: KeyHasher(secret: "bench"))
        let clock = ContinuousClock()
        // The best of three runs: the least disturbed by whatever else the machine does.
        func best(_ body: () -> Void) -> Duration { (0..<3).map { _ in clock.measure(body) }.min()! }
        func each(_ body: (UnsafeBufferPointer<UInt8>) -> Void) -> Duration {
            best { for line in lines { line.withUnsafeBufferPointer(body) } }
        }
        let utf8 = each { _ = isValidUTF8($0) }
        // One tape reused, as ingestion's threads do.
        var reused = JSONTape()
        let tape = each { try? reused.parse($0) }
        let parse = each { _ = parser.parse(line: $0, tape: &reused) }
        let records = lines.compactMap { line -> RequestRecord? in
            guard case .record(let record) = line.withUnsafeBufferPointer(parser.parse(line:)) else { return nil }
            return record
        }
        var memo = SystemPromptMemo()
        var features: [RequestFeatures] = []
        let featuresTime = best { features = records.map { RequestFeatures($0, memo: &memo) } }
        let aggregateTime = best {
            var aggregate = BatchAggregate()
            for (record, f) in zip(records, features) { aggregate.add(record, features: f) { _ in nil } }
        }
        let count = max(lines.count, 1)
        let per = { (d: Duration) in d.seconds * 1e6 / Double(count) }
        return Times(
            lines: lines.count, bytesPerLine: lines.reduce(0) { $0 + $1.count } / count, utf8: per(utf8),
            tape: per(tape), parse: per(parse), features: per(featuresTime), aggregate: per(aggregateTime))
    }

    /// The first `limit` complete lines of a file, read a megabyte at a time (not the whole file).
    static func firstLines(of file: String, limit: Int) throws -> [[UInt8]] {
        guard let handle = FileHandle(forReadingAtPath: file) else { throw UserError("cannot read \(file)") }
        defer { try? handle.close() }
        var lines: [[UInt8]] = []
        var pending: [UInt8] = []
        while lines.count < limit, let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            pending += chunk
            var start = 0
            while lines.count < limit, let newline = pending[start...].firstIndex(of: 0x0A) {
                lines.append(Array(pending[start..<newline]))
                start = newline + 1
            }
            pending.removeFirst(start)
        }
        return lines
    }
}

enum ScoringBench {
    /// Runs the scoring test in a process of its own, so that its memory is its own.
    static func measure(_ settings: Bench.Settings, folder: URL, log: Progress) throws -> ScoringResult {
        log("scoring \(settings.accounts) accounts")
        let work = folder.appendingPathComponent("scoring")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        let output = try Subprocess.run(
            Subprocess.sluice, ["bench", "--part", "scoring", "--accounts", "\(settings.accounts)", "--out", work.path])
        return try JSONDecoder().decode(ScoringResult.self, from: Data(output.utf8))
    }

    /// Stores `accounts` accounts of 20 requests each (the evidence floor below which a pass skips
    /// an account) through the normal commit, then times one scoring pass over all of them.
    static func run(accounts: Int, folder: String) async throws -> ScoringResult {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = URL(fileURLWithPath: folder).appendingPathComponent("scoring-\(UUID().uuidString).db").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let store = try SQLiteStore(path: path)
        let start = 1_793_491_200.0
        var items: [(RequestRecord, RequestFeatures)] = []
        for account in 0..<accounts {
            for request in 0..<20 {
                var record = RequestRecord(
                    time: start + Double(account % 86_400) + Double(request) * 1800, account: "acct-\(account)",
                    apiKeyID: "key-\(account)", ip: "198.51.\(account % 256).\(request)", userAgent: "bench/1",
                    model: "gpt-bench", promptTokens: 100 + account % 900, completionTokens: 50 + (account * 7) % 2000,
                    temperature: account % 3 == 0 ? 0 : 0.7, maxTokens: 1000, n: 1 + account % 2)
                record.messages = [
                    ChatMessage(role: "user", text: "Question \(account) part \(request): explain step by step")
                ]
                items.append((record, RequestFeatures(record)))
            }
            if items.count >= 20000 {
                _ = try await store.commit(items, progress: IngestProgress(source: "bench"))
                items.removeAll(keepingCapacity: true)
            }
        }
        if !items.isEmpty { _ = try await store.commit(items, progress: IngestProgress(source: "bench")) }
        var logger = Logger(label: "sluice.bench")
        logger.logLevel = .warning
        let runner = ScoringRunner(
            store: store, scorer: Scorer(policy: SluiceCore.Configuration().scoring.policy), eventInterval: 900,
            logger: logger)
        // Time the pass alone, not the pass beside the checkpoint of what was just stored.
        try await store.checkpointLog()
        Machine.resetPeakRSS()
        let began = ContinuousClock.now
        let cpuBefore = Machine.cpuSeconds()
        let flagged = await runner.runPass()
        let elapsed = ContinuousClock.now - began
        return ScoringResult(
            accounts: accounts, flagged: flagged, seconds: elapsed.seconds,
            cpuSeconds: Machine.cpuSeconds() - cpuBefore,
            peakRSSMegabytes: Machine.peakRSSMegabytes(), steps: await runner.lastTimings)
    }
}

// MARK: - Gateway check

enum GatewayBench {
    static let gatewayToken = "bench-gateway-token"
    static let adminToken = "bench-admin-token"

    static func run(_ settings: Bench.Settings, folder: URL, log: Progress) async throws -> GatewayResult {
        var result = GatewayResult(blocks: settings.blocks)
        guard let wrk = Subprocess.find("wrk"), let nginx = Subprocess.find("nginx") else {
            result.skipped = "wrk or nginx not installed (apt-get install -y wrk nginx-light)"
            return result
        }
        let work = folder.appendingPathComponent("gateway")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        let database = work.appendingPathComponent("sluice.db").path
        log("storing \(settings.blocks) blocks")
        do {
            let store = try SQLiteStore(path: database)
            for i in 0..<settings.blocks {
                _ = try await store.decide(
                    .block, account: "acct-\(i)", actor: "bench", reason: "bench", expiresAt: nil)
            }
        }
        let sluicePort = try Machine.freePort()
        let config = work.appendingPathComponent("sluice.yaml")
        try serverConfig(database: database, logs: work.appendingPathComponent("logs/*.jsonl").path, port: sluicePort)
            .write(to: config, atomically: true, encoding: .utf8)
        let server = try Subprocess.start(
            Subprocess.sluice, ["serve", "--config", config.path, "--log-level", "warning"])
        defer { server.stop() }
        try await waitForHTTP("http://127.0.0.1:\(sluicePort)/healthz")

        let blocked = "acct-\(settings.blocks / 2)"
        let headers = ["-H", "X-Sluice-Token: \(gatewayToken)", "-H", "X-Sluice-Account: \(blocked)"]
        log("wrk on sluice /v1/check")
        let sluice = try runWrk(
            wrk, headers: headers, url: "http://127.0.0.1:\(sluicePort)/v1/check", settings.wrkSeconds)
        server.stop()

        let nginxPort = try Machine.freePort()
        let prefix = work.appendingPathComponent("nginx")
        try FileManager.default.createDirectory(
            at: prefix.appendingPathComponent("logs"), withIntermediateDirectories: true)
        let conf = prefix.appendingPathComponent("nginx.conf")
        try """
        worker_processes auto;
        pid \(prefix.path)/nginx.pid;
        error_log \(prefix.path)/logs/error.log;
        events { worker_connections 1024; }
        http {
            access_log off;
            server { listen 127.0.0.1:\(nginxPort); location / { return 204; } }
        }
        """.write(to: conf, atomically: true, encoding: .utf8)
        let web = try Subprocess.start(nginx, ["-p", prefix.path, "-c", conf.path, "-g", "daemon off;"])
        defer { web.stop() }
        try await waitForHTTP("http://127.0.0.1:\(nginxPort)/")
        log("wrk on nginx return 204")
        let reference = try runWrk(
            wrk, headers: headers, url: "http://127.0.0.1:\(nginxPort)/v1/check", settings.wrkSeconds)
        result.sluiceRequestsPerSecond = sluice.requestsPerSecond
        result.sluiceP50Milliseconds = sluice.p50
        result.sluiceP99Milliseconds = sluice.p99
        result.nginxRequestsPerSecond = reference.requestsPerSecond
        result.nginxP50Milliseconds = reference.p50
        result.nginxP99Milliseconds = reference.p99
        return result
    }

    static func serverConfig(database: String, logs: String, port: Int) -> String {
        """
        store: { path: "\(database)" }
        sources:
          - { name: bench, path: "\(logs)", format: litellm }
        server: { host: 127.0.0.1, port: \(port) }
        auth:
          tokens:
            - { name: gateway, role: gateway, sha256: "\(Digest.sha256Hex(gatewayToken))" }
            - { name: admin, role: admin, sha256: "\(Digest.sha256Hex(adminToken))" }
        """
    }

    struct WrkResult {
        var requestsPerSecond: Double
        var p50: Double
        var p99: Double
    }

    static func runWrk(_ wrk: String, headers: [String], url: String, _ seconds: Int) throws -> WrkResult {
        let output = try Subprocess.run(wrk, ["-t2", "-c64", "-d\(seconds)s", "--latency"] + headers + [url])
        var result = WrkResult(requestsPerSecond: 0, p50: 0, p99: 0)
        for line in output.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if fields.first == "Requests/sec:", fields.count > 1 { result.requestsPerSecond = Double(fields[1]) ?? 0 }
            if fields.first == "50%", fields.count > 1 { result.p50 = milliseconds(String(fields[1])) }
            if fields.first == "99%", fields.count > 1 { result.p99 = milliseconds(String(fields[1])) }
        }
        guard result.requestsPerSecond > 0 else { throw UserError("wrk gave no result for \(url): \(output)") }
        return result
    }

    /// wrk's `1.23ms`, `456.00us`, `1.20s`.
    static func milliseconds(_ text: String) -> Double {
        for (unit, scale) in [("us", 0.001), ("ms", 1.0), ("s", 1000.0)] where text.hasSuffix(unit) {
            return (Double(text.dropLast(unit.count)) ?? 0) * scale
        }
        return Double(text) ?? 0
    }
}

// MARK: - Steady tail

enum TailBench {
    static func run(_ settings: Bench.Settings, traffic: String, folder: URL, log: Progress) async throws -> TailResult
    {
        let work = folder.appendingPathComponent("tail")
        let logs = work.appendingPathComponent("logs")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        let file = logs.appendingPathComponent("app.jsonl").path
        _ = FileManager.default.createFile(atPath: file, contents: nil)
        // Lines to write: the simulated traffic, cycled.
        let source = try Data(contentsOf: URL(fileURLWithPath: traffic), options: .alwaysMapped)
        let lines = source.prefix(64 << 20).split(separator: 0x0A).dropLast().map { Data($0) + Data([0x0A]) }
        guard !lines.isEmpty else { throw UserError("no simulated traffic to write") }

        let port = try Machine.freePort()
        let config = work.appendingPathComponent("sluice.yaml")
        try GatewayBench.serverConfig(
            database: work.appendingPathComponent("sluice.db").path, logs: logs.path + "/*.jsonl", port: port
        ).write(to: config, atomically: true, encoding: .utf8)
        let server = try Subprocess.start(
            Subprocess.sluice, ["serve", "--config", config.path, "--log-level", "warning"])
        defer { server.stop() }
        let status = "http://127.0.0.1:\(port)/v1/status"
        try await waitForHTTP("http://127.0.0.1:\(port)/healthz")

        log("appending \(settings.tailRate) lines/s for \(settings.tailSeconds) s")
        let writer = Writer(path: file, lines: lines, rate: settings.tailRate, seconds: settings.tailSeconds)
        let thread = Thread { writer.run() }
        thread.start()
        var maxLag = 0.0
        var samples = 0
        let began = ContinuousClock.now
        while !writer.done.withLock({ $0 }) {
            try await Task.sleep(for: .milliseconds(200))
            if let lag = try? lagOf(status) {
                maxLag = max(maxLag, lag.seconds)
                samples += 1
            }
        }
        let written = writer.written.withLock { $0 }
        let writingSeconds = (ContinuousClock.now - began).seconds
        // Then wait for the backlog to drain.
        let drainStart = ContinuousClock.now
        while (ContinuousClock.now - drainStart) < .seconds(60) {
            if let lag = try? lagOf(status) {
                maxLag = max(maxLag, lag.seconds)
                samples += 1
                if lag.bytes == 0 { break }
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        return TailResult(
            linesWritten: written, linesPerSecondWritten: Double(written) / writingSeconds, maxLagSeconds: maxLag,
            samples: samples, drainSeconds: (ContinuousClock.now - drainStart).seconds)
    }

    static func lagOf(_ url: String) throws -> (seconds: Double, bytes: Int64) {
        let body = try Subprocess.run(
            "/usr/bin/curl", ["-sf", "-H", "X-Sluice-Token: \(GatewayBench.adminToken)", url])
        let status = try JSONDecoder().decode(StatusLag.self, from: Data(body.utf8))
        return (
            status.sources.map(\.lagSeconds).max() ?? 0, status.sources.map(\.lagBytes).reduce(0, +)
        )
    }

    struct StatusLag: Decodable {
        struct Source: Decodable {
            var lagSeconds: Double
            var lagBytes: Int64
            enum CodingKeys: String, CodingKey {
                case lagSeconds = "lag_seconds"
                case lagBytes = "lag_bytes"
            }
        }
        var sources: [Source]
    }

    /// Appends lines at a steady rate, in 10 ms ticks.
    final class Writer: Sendable {
        let path: String
        let lines: [Data]
        let rate: Int
        let seconds: Int
        let done = Mutex(false)
        let written = Mutex(0)

        init(path: String, lines: [Data], rate: Int, seconds: Int) {
            self.path = path
            self.lines = lines
            self.rate = rate
            self.seconds = seconds
        }

        func run() {
            defer { done.withLock { $0 = true } }
            let descriptor = open(path, O_WRONLY | O_APPEND)
            guard descriptor >= 0 else { return }
            defer { close(descriptor) }
            let start = ContinuousClock.now
            var next = 0
            var count = 0
            while ContinuousClock.now - start < .seconds(seconds) {
                let due = Int((ContinuousClock.now - start).seconds * Double(rate))
                var chunk = Data()
                while count < due {
                    chunk.append(lines[next])
                    next = (next + 1) % lines.count
                    count += 1
                }
                chunk.withUnsafeBytes { _ = write(descriptor, $0.baseAddress, $0.count) }
                written.withLock { $0 = count }
                usleep(10_000)
            }
        }
    }
}

// MARK: - Support

/// Progress lines on stderr.
struct Progress: Sendable {
    let quiet: Bool
    func callAsFunction(_ message: String) {
        if !quiet { FileHandle.standardError.write(Data("bench: \(message)\n".utf8)) }
    }
}

func waitForHTTP(_ url: String) async throws {
    for _ in 0..<100 {
        if (try? Subprocess.run("/usr/bin/curl", ["-s", "-o", "/dev/null", url])) != nil { return }
        try await Task.sleep(for: .milliseconds(100))
    }
    throw UserError("\(url) did not answer within 10 s")
}

enum Subprocess {
    /// This program.
    static let sluice =
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]

    static func find(_ name: String) -> String? {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin") + ":/usr/sbin:/sbin"
        return paths.split(separator: ":").map { "\($0)/\(name)" }.first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }

    /// Runs to the end; stdout, or an error with stderr's last line.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let message = String(decoding: errorData, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? ""
            throw UserError("\((executable as NSString).lastPathComponent) \(arguments.first ?? "") failed: \(message)")
        }
        return String(decoding: data, as: UTF8.self)
    }

    struct Timed {
        var output: String
        var seconds: Double
        var peakRSSMegabytes: Double?
        /// User and system CPU time on every core, from GNU time.
        var cpuSeconds: Double?
    }

    /// Runs under GNU time for the peak RSS when it is there; the wall time is measured here.
    static func timed(_ executable: String, _ arguments: [String]) throws -> Timed {
        let gnuTime = FileManager.default.isExecutableFile(atPath: "/usr/bin/time")
        let report = NSTemporaryDirectory() + "sluice-bench-time-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: report) }
        let began = ContinuousClock.now
        let output =
            gnuTime
            ? try run("/usr/bin/time", ["-v", "-o", report, executable] + arguments) : try run(executable, arguments)
        let seconds = (ContinuousClock.now - began).seconds
        var timed = Timed(output: output, seconds: seconds)
        if gnuTime, let text = try? String(contentsOfFile: report, encoding: .utf8) {
            // Lines like "\tMaximum resident set size (kbytes): 90820".
            var values: [String: Double] = [:]
            for line in text.split(separator: "\n") {
                let parts = line.split(separator: ":", maxSplits: 1)
                guard parts.count == 2, let value = Double(parts[1].trimmingCharacters(in: .whitespaces)) else {
                    continue
                }
                values[parts[0].trimmingCharacters(in: .whitespaces)] = value
            }
            timed.peakRSSMegabytes = values["Maximum resident set size (kbytes)"].map { $0 / 1024 }
            if let user = values["User time (seconds)"], let system = values["System time (seconds)"] {
                timed.cpuSeconds = user + system
            }
        }
        return timed
    }

    /// A running server, stopped with SIGTERM.
    final class Running: Sendable {
        let process: Process
        init(_ process: Process) { self.process = process }
        func stop() {
            guard process.isRunning else { return }
            process.terminate()
            process.waitUntilExit()
        }
    }

    static func start(_ executable: String, _ arguments: [String]) throws -> Running {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        return Running(process)
    }
}

enum Machine {
    static func describe() -> String {
        var model = "unknown CPU"
        if let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
            let line = info.split(separator: "\n").first(where: { $0.hasPrefix("model name") })
        {
            model = line.split(separator: ":").last.map { $0.trimmingCharacters(in: .whitespaces) } ?? model
        }
        let memory = Double(ProcessInfo.processInfo.physicalMemory) / 1_073_741_824
        return "\(model), \(Cores.available) cores, \(String(format: "%.0f", memory)) GB"
    }

    /// User and system CPU time of this process so far, on every core.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// Resets the kernel's high-water mark of this process's resident memory (Linux).
    static func resetPeakRSS() {
        try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
    }

    static func peakRSSMegabytes() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
        else { return 0 }
        let kilobytes = line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.flatMap {
            Double($0)
        }
        return (kilobytes ?? 0) / 1024
    }

    static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw UserError("cannot open a socket") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0
            }
        }
        guard bound else { throw UserError("cannot find a free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

extension Duration {
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
