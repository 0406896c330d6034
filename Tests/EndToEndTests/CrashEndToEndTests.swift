import Foundation
import SluiceTestSupport
import Synchronization
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Appends log lines on its own thread, as a busy gateway would, rotating now and then by rename
/// and by copytruncate, sometimes writing a line in two pieces. Knows what it wrote.
final class LogWriter: Sendable {
    struct Totals: Equatable, CustomStringConvertible {
        var requests: Int64 = 0
        var promptTokens: Int64 = 0
        var completionTokens: Int64 = 0
        var description: String { "\(requests) requests, \(promptTokens)+\(completionTokens) tokens" }
    }
    struct State {
        var lines = 0
        var rotations = 0
        var copytruncates = 0
        var totals: [String: Totals] = [:]
        var random = SystemRandomNumberGenerator()
    }

    let directory: URL
    let state = Mutex(State())
    let running = Mutex(false)
    let finished = DispatchSemaphore(value: 0)
    static let accounts = (0..<12).map { "acct-\($0)" }

    init(directory: URL) { self.directory = directory }

    var current: String { directory.appendingPathComponent("app.jsonl").path }

    /// Writes `count` lines now, in bursts.
    func write(_ count: Int, splitting: Bool = true) throws {
        var left = count
        while left > 0 {
            let burst = min(left, Int.random(in: 1...40))
            try writeBurst(burst, splitting: splitting)
            left -= burst
        }
    }

    func writeBurst(_ count: Int, splitting: Bool) throws {
        var text = ""
        state.withLock { state in
            for _ in 0..<count {
                let account = Self.accounts.randomElement(using: &state.random)!
                let prompt = Int.random(in: 1...4000, using: &state.random)
                let completion = Int.random(in: 0...8000, using: &state.random)
                let i = state.lines
                state.lines += 1
                state.totals[account, default: Totals()].requests += 1
                state.totals[account, default: Totals()].promptTokens += Int64(prompt)
                state.totals[account, default: Totals()].completionTokens += Int64(completion)
                text +=
                    #"{"ts": \#(1_795_630_000 + i), "account": "\#(account)", "id": "req-\#(i)", "request": {"model": "m", "messages": [{"role": "user", "content": "question number \#(i) about topic \#(i % 97)"}], "max_tokens": 8192}, "usage": {"prompt_tokens": \#(prompt), "completion_tokens": \#(completion)}}"#
                    + "\n"
            }
        }
        if !FileManager.default.fileExists(atPath: current) {
            _ = FileManager.default.createFile(atPath: current, contents: nil)
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: current))
        defer { try? handle.close() }
        try handle.seekToEnd()
        let bytes = Data(text.utf8)
        if splitting && bytes.count > 10 && Bool.random() {
            // A line cut in two writes: the reader must wait for its newline.
            let cut = Int.random(in: 1..<(bytes.count - 1))
            try handle.write(contentsOf: bytes.prefix(cut))
            Thread.sleep(forTimeInterval: 0.002)
            try handle.write(contentsOf: bytes.dropFirst(cut))
        } else {
            try handle.write(contentsOf: bytes)
        }
    }

    func rotate() throws {
        let (number, copy) = state.withLock { state -> (Int, Bool) in
            state.rotations += 1
            let copy = state.rotations % 3 == 0
            if copy { state.copytruncates += 1 }
            return (state.rotations, copy)
        }
        let rotated = directory.appendingPathComponent(String(format: "app.jsonl.%04d", number)).path
        if copy {
            try FileManager.default.copyItem(atPath: current, toPath: rotated)
            try FileHandle(forWritingTo: URL(fileURLWithPath: current)).truncate(atOffset: 0)
        } else {
            try FileManager.default.moveItem(atPath: current, toPath: rotated)
        }
    }

    /// Writes on its own thread until `stop`, or until `budget` lines are written, so that a slow
    /// (loaded) machine does not make the test longer.
    func start(budget: Int) {
        running.withLock { $0 = true }
        Thread.detachNewThread { [self] in
            var sinceRotation = 0
            while running.withLock({ $0 }) && state.withLock({ $0.lines }) < budget {
                let burst = Int.random(in: 1...10)
                try? writeBurst(burst, splitting: true)
                sinceRotation += burst
                if sinceRotation > Int.random(in: 100...400) {
                    try? rotate()
                    sinceRotation = 0
                }
                Thread.sleep(forTimeInterval: Double.random(in: 0.002...0.010))
            }
            finished.signal()
        }
    }

    func stop() {
        running.withLock { $0 = false }
        finished.wait()
    }
}

/// Whatever instant `sluice serve` dies at, every log line is counted exactly once: the counts
/// after many SIGKILLs and restarts under rotation equal a clean replay of the same files.
@Suite(.serialized, .enabled(if: Products.built, "build the products first: swift build"))
struct CrashEndToEndTests {
    static let kills = 22

    func accountTotals(_ server: RunningServer) async throws -> [String: LogWriter.Totals] {
        var result: [String: LogWriter.Totals] = [:]
        for account in LogWriter.accounts {
            let (status, body) = try await server.get("/v1/accounts/\(account)")
            guard status == 200 else { continue }
            let json = try JSONSerialization.jsonObject(with: body) as? [String: Any] ?? [:]
            let features = json["features"] as? [String: Any] ?? [:]
            result[account] = LogWriter.Totals(
                requests: Int64(json["requests"] as? Int ?? -1),
                promptTokens: Int64(features["prompt_tokens"] as? Double ?? -1),
                completionTokens: Int64(features["completion_tokens"] as? Double ?? -1))
        }
        return result
    }

    func statusLines(_ server: RunningServer) async throws -> (lines: Int, lag: Int) {
        let status = try await server.json("/v1/status")
        let lag = (status["sources"] as? [[String: Any]])?.compactMap { $0["lag_bytes"] as? Int }.reduce(0, +) ?? -1
        return (status["lines"] as? Int ?? -1, lag)
    }

    /// What to read when the counts differ: where each file was read to, and what every life of
    /// the server said about rotations, copies and failures.
    func diagnosis(directory: URL, sources: [[String: Any]]) -> String {
        let files = sources.map {
            "\(($0["path"] as? String).map { ($0 as NSString).lastPathComponent } ?? "?") "
                + "\($0["offset"] as? Int ?? -1)/\($0["size"] as? Int ?? -1)"
        }
        let logs = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
            .filter { $0.hasPrefix("serve") && $0.hasSuffix(".log") }
            .sorted { $0.count != $1.count ? $0.count < $1.count : $0 < $1 }
        var said: [String] = []
        for name in logs {
            let text = (try? String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)) ?? ""
            let notable = text.split(separator: "\n").filter { line in
                ["copy of", "truncated", "changed while", "unterminated", "error", "failed", "warning"].contains {
                    line.contains($0)
                }
            }
            said += notable.map { "\(name): \($0.split(separator: "] ").last ?? $0)" }
        }
        return "files (offset/size): \(files.joined(separator: ", "))\nlogs:\n\(said.joined(separator: "\n"))"
    }

    @Test func everyLineCountsOnceThroughSIGKILLsRotationsAndASIGTERM() async throws {
        let started = Date()
        let scratch = try ServeDirectory("sluice-crash")
        let (directory, logs, config) = (scratch.directory, scratch.logs, scratch.config)
        try scratch.configure(
            """
            sources:
              - { name: app, path: "\(logs.path)/app.jsonl*", format: openai }
            scoring: { interval: 2s, event_interval: 10m }
            ingest: { batch_lines: 25, poll_interval: 50ms }
            """)

        let writer = LogWriter(directory: logs)
        try writer.write(200)
        writer.start(budget: 7000)
        var killed = 0
        for _ in 0..<Self.kills {
            let server = try RunningServer(config: config, directory: directory)
            try await Task.sleep(for: .milliseconds(Int.random(in: 20...600)))
            kill(server.process.processIdentifier, SIGKILL)
            server.process.waitUntilExit()
            if server.process.terminationReason == .uncaughtSignal && server.process.terminationStatus == SIGKILL {
                killed += 1
            }
        }
        writer.stop()
        #expect(killed == Self.kills)

        // SIGTERM in the middle of a backlog: the batch in flight commits, the process exits 0.
        try writer.write(8000, splitting: false)
        var server = try RunningServer(config: config, directory: directory)
        let before = try await statusLines(server).lines
        var atSignal = before
        let moving = try await eventually {
            atSignal = try await statusLines(server).lines
            return atSignal > before
        }
        #expect(moving)
        let total = writer.state.withLock { $0.lines }
        #expect(server.stop() == 0)
        #expect(atSignal < total, "the SIGTERM came after the backlog was read")

        // Restart and read to the end.
        server = try RunningServer(config: config, directory: directory)
        let caughtUp = try await eventually {
            let (lines, lag) = try await statusLines(server)
            return lines >= total && lag == 0
        }
        #expect(caughtUp)
        #expect(try await statusLines(server).lines == total)
        let live = try await accountTotals(server)
        let sources = (try await server.json("/v1/status")["sources"] as? [[String: Any]]) ?? []
        #expect(server.stop() == 0)

        // A clean replay of the same files into a new database.
        let files = try FileManager.default.contentsOfDirectory(atPath: logs.path).sorted().map {
            logs.appendingPathComponent($0).path
        }
        let replayDB = directory.appendingPathComponent("replay.db").path
        let replay = try run(Products.sluice, ["replay", "--format", "openai", "--db", replayDB, "--json"] + files)
        #expect(replay.status == 0, "\(replay.stderr)")
        let replayConfig = directory.appendingPathComponent("replay.yaml")
        try "store: { path: \(replayDB) }\nscoring: { interval: 1h }\n".write(
            to: replayConfig, atomically: true, encoding: .utf8)
        let replayed = try RunningServer(config: replayConfig, directory: directory)
        let clean = try await accountTotals(replayed)
        _ = replayed.stop()

        let truth = writer.state.withLock { $0.totals }
        #expect(live == clean)
        #expect(live == truth, "\(diagnosis(directory: directory, sources: sources))")
        let (rotations, copies) = writer.state.withLock { ($0.rotations, $0.copytruncates) }
        print(
            "crash test: \(killed) SIGKILLs, 1 SIGTERM at \(atSignal)/\(total) lines, \(rotations) rotations "
                + "(\(copies) copytruncate), \(files.count) files; live = replay = written for \(live.count) accounts: "
                + "\(live.values.reduce(0) { $0 + $1.requests }) requests, "
                + "\(live.values.reduce(0) { $0 + $1.promptTokens + $1.completionTokens }) tokens; "
                + "\(Int(Date().timeIntervalSince(started))) s")
    }
}

/// A `sluice replay --db` run by mistake on the database a `sluice serve` is tailing into, over
/// the same file: each line counts once, whichever process reads it.
@Suite(.enabled(if: Products.built, "build the products first: swift build"))
struct TwoProcessesEndToEndTests {
    @Test func aReplayBesideTheServerOnOneDatabaseCountsEachLineOnce() async throws {
        let scratch = try ServeDirectory("sluice-two")
        let (directory, database) = (scratch.directory, scratch.database)
        try scratch.configure(
            """
            sources:
              - { name: app, path: "\(scratch.logs.path)/app.jsonl", format: openai }
            ingest: { batch_lines: 50 }
            """)
        let writer = LogWriter(directory: scratch.logs)
        try writer.write(12_000, splitting: false)
        let total = writer.state.withLock { $0.lines }

        let replay = Process()
        replay.executableURL = URL(fileURLWithPath: Products.sluice)
        replay.arguments = ["replay", "--db", database, "--format", "openai", "--json", writer.current]
        replay.standardOutput = FileHandle.nullDevice
        let replayErrors = Pipe()
        replay.standardError = replayErrors
        try replay.run()
        let server = try RunningServer(config: scratch.config, directory: directory)
        let stderr = String(decoding: replayErrors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        replay.waitUntilExit()
        #expect(replay.terminationStatus == 0, "\(stderr)")
        var status: [String: Any] = [:]
        let caughtUp = try await eventually {
            status = try await server.json("/v1/status")
            let lag = (status["sources"] as? [[String: Any]])?.compactMap { $0["lag_bytes"] as? Int }.reduce(0, +)
            return status["lines"] as? Int ?? 0 >= total && lag == 0
        }
        #expect(caughtUp, "\(status)")
        #expect(try await server.json("/v1/status")["lines"] as? Int == total)
        let live = try await CrashEndToEndTests().accountTotals(server)
        #expect(server.stop() == 0)
        #expect(live == writer.state.withLock { $0.totals })
        // Once more, after the daemon: it resumes from the daemon's checkpoint and adds nothing.
        let again = try run(
            Products.sluice, ["replay", "--db", database, "--format", "openai", "--json", writer.current])
        #expect(again.status == 0, "\(again.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [String: Any]
        #expect(json?["lines"] as? Int == total)
        let log = (try? String(contentsOf: server.output, encoding: .utf8)) ?? ""
        print(
            "two processes: \(total) lines; refusals: replay \(stderr.components(separatedBy: "another process").count - 1), "
                + "serve \(log.components(separatedBy: "another process").count - 1)")
    }
}
