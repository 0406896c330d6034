import Foundation
import Logging
import SluiceCore
import SluiceStore
import Testing

@testable import SluiceIngest

/// A log directory and a store in a fresh temporary folder.
struct TailFixture {
    let directory: URL
    let store: SQLiteStore

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-tail-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        store = try SQLiteStore(path: directory.appendingPathComponent("sluice.db").path)
    }

    func tailer(_ pattern: String, startAt: Configuration.Source.StartAt = .beginning, maxLineBytes: Int = 1 << 20) -> FileTailer {
        var ingest = Configuration.Ingest()
        ingest.maxLineBytes = maxLineBytes
        ingest.batchLines = 7
        return FileTailer(
            source: Configuration.Source(
                name: "test", path: directory.appendingPathComponent(pattern).path, format: .openai, startAt: startAt),
            keyHasher: KeyHasher(secret: "s"), store: store, ingest: ingest, logger: Logger(label: "test"))
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    func append(_ name: String, _ text: String) throws {
        let path = path(name)
        if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
        try handle.close()
    }

    func requests(_ account: String) async throws -> Int64 {
        try await store.profiles().first { $0.id == account }?.totals[.requests] ?? 0
    }
}

func line(_ account: String, _ i: Int) -> String {
    #"{"ts": \#(1_795_630_000 + i), "account": "\#(account)", "request": {"messages": [{"role": "user", "content": "q\#(i)"}]}, "usage": {"prompt_tokens": 3, "completion_tokens": 9}}"# + "\n"
}

@Suite struct FileTailerTests {
    @Test func readsCompleteLinesAndWaitsForAPartialOne() async throws {
        let f = try TailFixture()
        let tailer = f.tailer("app.jsonl")
        try f.append("app.jsonl", (0..<20).map { line("a", $0) }.joined())
        let partial = line("a", 20)
        try f.append("app.jsonl", String(partial.prefix(30)))
        #expect(try await tailer.poll() == 20)
        #expect(try await f.requests("a") == 20)
        try f.append("app.jsonl", String(partial.dropFirst(30)))
        #expect(try await tailer.poll() == 1)
        #expect(try await f.requests("a") == 21)
        #expect(try await tailer.poll() == 0)
    }

    @Test func resumesFromTheCheckpointAfterARestart() async throws {
        let f = try TailFixture()
        try f.append("app.jsonl", (0..<10).map { line("a", $0) }.joined())
        _ = try await f.tailer("app.jsonl").poll()
        try f.append("app.jsonl", (10..<15).map { line("a", $0) }.joined())
        #expect(try await f.tailer("app.jsonl").poll() == 5)
        #expect(try await f.requests("a") == 15)
    }

    @Test func followsARenamedFileAndPicksUpItsSuccessor() async throws {
        let f = try TailFixture()
        let tailer = f.tailer("app.jsonl*")
        try f.append("app.jsonl", (0..<10).map { line("a", $0) }.joined())
        _ = try await tailer.poll()
        // Lines written just before rotation, then rename and a new file.
        try f.append("app.jsonl", (10..<13).map { line("a", $0) }.joined())
        try FileManager.default.moveItem(atPath: f.path("app.jsonl"), toPath: f.path("app.jsonl.1"))
        try f.append("app.jsonl", (13..<20).map { line("a", $0) }.joined())
        _ = try await tailer.poll()
        #expect(try await f.requests("a") == 20)
        // A fresh tailer over the same store reads nothing twice.
        #expect(try await f.tailer("app.jsonl*").poll() == 0)
    }

    @Test func rereadsATruncatedFile() async throws {
        let f = try TailFixture()
        let tailer = f.tailer("app.jsonl")
        try f.append("app.jsonl", (0..<10).map { line("a", $0) }.joined())
        _ = try await tailer.poll()
        try FileHandle(forWritingTo: URL(fileURLWithPath: f.path("app.jsonl"))).truncate(atOffset: 0)
        try f.append("app.jsonl", (0..<3).map { line("b", $0) }.joined())
        _ = try await tailer.poll()
        #expect(try await f.requests("b") == 3)
        #expect(try await f.requests("a") == 10)
    }

    @Test func startAtEndSkipsHistoryOfFilesSeenAtStartup() async throws {
        let f = try TailFixture()
        try f.append("app.jsonl", (0..<10).map { line("old", $0) }.joined())
        let tailer = f.tailer("*.jsonl", startAt: .end)
        #expect(try await tailer.poll() == 0)
        try f.append("app.jsonl", line("new", 1))
        try f.append("later.jsonl", line("new", 2))
        _ = try await tailer.poll()
        #expect(try await f.requests("old") == 0)
        #expect(try await f.requests("new") == 2)
    }

    @Test func countsBadLinesAndGoesOn() async throws {
        let f = try TailFixture()
        let tailer = f.tailer("app.jsonl", maxLineBytes: 4096)
        let huge = "{\"ts\": 1795630000, \"account\": \"" + String(repeating: "x", count: 3_000_000) + "\"}\n"
        try f.append("app.jsonl", line("a", 0) + "not json\n" + huge + "\n" + line("a", 1) + "{\"ts\": 1795630000}\n" + line("a", 2))
        _ = try await tailer.poll()
        #expect(try await f.requests("a") == 3)
        let counts = try #require(try await f.store.sourceCounts()["test"])
        #expect(counts.bad == ["not_json": 1, "too_long": 1, "missing_account": 1])
        let samples = try await f.store.badLineSamples()
        #expect(samples.count == 3)
        #expect(samples.allSatisfy { !$0.detail.contains("xxxx") })
    }
}
