import Foundation
import Logging
import SluiceCore
import SluiceStore
import SluiceTestSupport
import Synchronization
import Testing

@testable import SluiceIngest

/// A log directory and a store in a fresh temporary folder.
struct TailFixture {
    let directory: URL
    let store: SQLiteStore

    init(storeDirectory: URL? = nil, busyTimeout: Double = 10) throws {
        directory = try scratchDirectory("sluice-tail")
        let storePath = (storeDirectory ?? directory).appendingPathComponent("sluice.db").path
        store = try SQLiteStore(path: storePath, busyTimeout: busyTimeout)
    }

    func tailer(
        _ pattern: String, startAt: Configuration.Source.StartAt = .beginning, maxLineBytes: Int = 1 << 20,
        batchLines: Int = 7, format: LogFormat = .openai
    ) -> FileTailer {
        var ingest = Configuration.Ingest()
        ingest.maxLineBytes = maxLineBytes
        ingest.batchLines = batchLines
        return FileTailer(
            source: Configuration.Source(
                name: "test", path: directory.appendingPathComponent(pattern).path, format: format, startAt: startAt),
            keyHasher: KeyHasher(secret: "s"), store: store, ingest: ingest, logger: Logger(label: "test"))
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    func append(_ name: String, _ text: String) throws { try append(name, Data(text.utf8)) }

    func append(_ name: String, _ data: Data) throws {
        let path = path(name)
        if !FileManager.default.fileExists(atPath: path) {
            _ = FileManager.default.createFile(atPath: path, contents: nil)
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: data)
        try handle.close()
    }

    func move(_ from: String, _ to: String) throws {
        try FileManager.default.moveItem(atPath: path(from), toPath: path(to))
    }

    /// logrotate's `copytruncate`: copy the file, then cut the original to zero in place.
    func copyTruncate(_ name: String, to copy: String) throws {
        try FileManager.default.copyItem(atPath: path(name), toPath: path(copy))
        try FileHandle(forWritingTo: URL(fileURLWithPath: path(name))).truncate(atOffset: 0)
    }

    func requests(_ account: String) async throws -> Int64 {
        try await store.profiles().first { $0.id == account }?.totals[.requests] ?? 0
    }

    func counts() async throws -> SourceCounts { try await store.sourceCounts()["test"] ?? SourceCounts() }
}

func line(_ account: String, _ i: Int) -> String {
    #"{"ts": \#(1_795_630_000 + i), "account": "\#(account)", "request": {"messages": [{"role": "user", "content": "q\#(i)"}]}, "usage": {"prompt_tokens": 3, "completion_tokens": 9}}"#
        + "\n"
}

func lines(_ account: String, _ range: Range<Int>) -> String { range.map { line(account, $0) }.joined() }

/// A clock the test moves by hand.
final class TestClock: Sendable {
    let now = Mutex(1_795_700_000.0)
    func advance(_ seconds: Double) { now.withLock { $0 += seconds } }
    var read: @Sendable () -> Double { { [self] in now.withLock { $0 } } }
}

@Suite struct FileTailerTests {
    @Test func readsCompleteLinesAndWaitsForAPartialOne() async throws {
        let f = try TailFixture()
        let tailer = f.tailer("app.jsonl")
        try f.append("app.jsonl", lines("a", 0..<20))
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
        try f.append("app.jsonl", lines("a", 0..<10))
        _ = try await f.tailer("app.jsonl").poll()
        try f.append("app.jsonl", lines("a", 10..<15))
        #expect(try await f.tailer("app.jsonl").poll() == 5)
        #expect(try await f.requests("a") == 15)
    }

    @Test func picksUpFilesThatAppearLaterUnderTheGlob() async throws {
        let f = try TailFixture()
        let tailer = f.tailer("*.jsonl")
        #expect(try await tailer.poll() == 0)
        try f.append("one.jsonl", lines("a", 0..<3))
        #expect(try await tailer.poll() == 3)
        try f.append("two.jsonl", lines("b", 0..<4))
        try f.append("ignored.txt", lines("c", 0..<4))
        #expect(try await tailer.poll() == 4)
        #expect(try await f.requests("b") == 4)
        #expect(try await f.requests("c") == 0)
    }

    @Test func followsARenamedFileAndPicksUpItsSuccessor() async throws {
        let f = try TailFixture()
        let tailer = f.tailer("app.jsonl*")
        try f.append("app.jsonl", lines("a", 0..<10))
        _ = try await tailer.poll()
        // Lines written just before rotation, then rename and a new file.
        try f.append("app.jsonl", lines("a", 10..<13))
        try f.move("app.jsonl", "app.jsonl.1")
        try f.append("app.jsonl", lines("a", 13..<20))
        _ = try await tailer.poll()
        #expect(try await f.requests("a") == 20)
        // A fresh tailer over the same store reads nothing twice, though both names match the glob.
        #expect(try await f.tailer("app.jsonl*").poll() == 0)
    }

    @Test func aRotationWhileStoppedIsFoundUnderTheNewName() async throws {
        let f = try TailFixture()
        try f.append("app.jsonl", lines("a", 0..<10))
        _ = try await f.tailer("app.jsonl*").poll()
        // Sluice is down: more lines, a rotation, a new file.
        try f.append("app.jsonl", lines("a", 10..<12))
        try f.move("app.jsonl", "app.jsonl.1")
        try f.append("app.jsonl", lines("a", 12..<15))
        #expect(try await f.tailer("app.jsonl*").poll() == 5)
        #expect(try await f.requests("a") == 15)
    }

    @Test func drainsAFileRenamedOutOfTheGlobThenLetsItGo() async throws {
        let f = try TailFixture()
        let tailer = f.tailer("app.jsonl")
        try f.append("app.jsonl", lines("a", 0..<5))
        _ = try await tailer.poll()
        try f.append("app.jsonl", lines("a", 5..<8))
        try f.move("app.jsonl", "app.jsonl.old")
        try f.append("app.jsonl", lines("b", 0..<2))
        _ = try await tailer.poll()
        #expect(try await f.requests("a") == 8)
        #expect(try await f.requests("b") == 2)
        #expect(tailer.files.values.map(\.path) == [f.path("app.jsonl")])
    }

    @Test func copytruncateContinuesInTheCopyWhereTheOriginalWasRead() async throws {
        let f = try TailFixture()
        let tailer = f.tailer("app.jsonl*")
        try f.append("app.jsonl", lines("a", 0..<10))
        _ = try await tailer.poll()
        try f.append("app.jsonl", lines("a", 10..<15))  // not read before rotation
        try f.copyTruncate("app.jsonl", to: "app.jsonl.1")
        try f.append("app.jsonl", lines("b", 0..<3))
        _ = try await tailer.poll()
        _ = try await tailer.poll()
        #expect(try await f.requests("a") == 15)
        #expect(try await f.requests("b") == 3)
        #expect(try await f.tailer("app.jsonl*").poll() == 0)
    }

    @Test func aCopySeenBeforeTheTruncationWaitsForIt() async throws {
        let f = try TailFixture()
        let tailer = f.tailer("app.jsonl*")
        try f.append("app.jsonl", lines("a", 0..<10))
        _ = try await tailer.poll()
        try f.append("app.jsonl", lines("a", 10..<12))
        try FileManager.default.copyItem(atPath: f.path("app.jsonl"), toPath: f.path("app.jsonl.1"))
        _ = try await tailer.poll()  // the copy exists, the original is whole: read the original only
        #expect(try await f.requests("a") == 12)
        try FileHandle(forWritingTo: URL(fileURLWithPath: f.path("app.jsonl"))).truncate(atOffset: 0)
        try f.append("app.jsonl", lines("b", 0..<3))
        _ = try await tailer.poll()
        _ = try await tailer.poll()
        #expect(try await f.requests("a") == 12)
        #expect(try await f.requests("b") == 3)
    }

    @Test func copytruncateWhileStoppedIsCountedOnce() async throws {
        let f = try TailFixture()
        try f.append("app.jsonl", lines("a", 0..<10))
        _ = try await f.tailer("app.jsonl*").poll()
        try f.append("app.jsonl", lines("a", 10..<14))
        try f.copyTruncate("app.jsonl", to: "app.jsonl.1")
        try f.append("app.jsonl", lines("b", 0..<2))
        let restarted = f.tailer("app.jsonl*")
        _ = try await restarted.poll()
        _ = try await restarted.poll()
        #expect(try await f.requests("a") == 14)
        #expect(try await f.requests("b") == 2)
        // And once more after another restart.
        #expect(try await f.tailer("app.jsonl*").poll() == 0)
    }

    @Test func rereadsATruncatedFile() async throws {
        let f = try TailFixture()
        let tailer = f.tailer("app.jsonl")
        try f.append("app.jsonl", lines("a", 0..<10))
        _ = try await tailer.poll()
        try FileHandle(forWritingTo: URL(fileURLWithPath: f.path("app.jsonl"))).truncate(atOffset: 0)
        try f.append("app.jsonl", lines("b", 0..<3))
        _ = try await tailer.poll()
        #expect(try await f.requests("b") == 3)
        #expect(try await f.requests("a") == 10)
    }

    @Test func aTruncationThatRegrowsPastTheOffsetIsCaughtByTheFingerprint() async throws {
        let f = try TailFixture()
        let tailer = f.tailer("app.jsonl")
        try f.append("app.jsonl", lines("a", 0..<3))
        _ = try await tailer.poll()
        try FileHandle(forWritingTo: URL(fileURLWithPath: f.path("app.jsonl"))).truncate(atOffset: 0)
        try f.append("app.jsonl", lines("b", 0..<6))  // longer than before: only the first bytes tell
        _ = try await tailer.poll()
        #expect(try await f.requests("b") == 6)
    }

    @Test func drainsADeletedFileClosesItAndForgetsItsCheckpoint() async throws {
        let f = try TailFixture()
        let tailer = f.tailer("*.jsonl")
        let clock = TestClock()
        tailer.clock = clock.read
        tailer.checkpointRetention = 60
        try f.append("app.jsonl", lines("a", 0..<10))
        _ = try await tailer.poll()
        try f.append("app.jsonl", lines("a", 10..<13))
        try FileManager.default.removeItem(atPath: f.path("app.jsonl"))
        _ = try await tailer.poll()
        #expect(try await f.requests("a") == 13)
        #expect(tailer.files.isEmpty)
        // The descriptor is closed: no descriptor of this process points at the deleted file.
        let descriptors = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")
        #expect(
            !descriptors.contains {
                (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\($0)")) == f.path(
                    "app.jsonl") + " (deleted)"
            })
        #expect(try await f.store.checkpoints().count == 1)
        clock.advance(61)
        _ = try await tailer.poll()
        _ = try await tailer.poll()
        #expect(try await f.store.checkpoints().isEmpty)
    }

    @Test func readsTheUnterminatedLastLineOfARotatedFileOnceItSettles() async throws {
        let f = try TailFixture()
        let tailer = f.tailer("app.jsonl")
        let clock = TestClock()
        tailer.clock = clock.read
        try f.append("app.jsonl", lines("a", 0..<3) + line("a", 3).dropLast())  // the writer died mid-newline
        #expect(try await tailer.poll() == 3)
        try f.move("app.jsonl", "app.jsonl.1")
        #expect(try await tailer.poll() == 0)  // not yet settled
        clock.advance(3)
        #expect(try await tailer.poll() == 1)
        #expect(try await f.requests("a") == 4)
        #expect(tailer.files.isEmpty)
    }

    /// A line seen half-written once, then finished and followed by a backlog of lines longer than
    /// a poll reads, in a file rotated meanwhile: the backlog is read line by line, not swallowed
    /// as one unterminated "last line" once the file settles.
    @Test func aBacklogAfterAPartialLineIsNotTakenForTheLastLine() async throws {
        let f = try TailFixture()
        let tailer = f.tailer("app.jsonl*", batchLines: 5)
        let clock = TestClock()
        tailer.clock = clock.read
        tailer.roundsPerPoll = 1
        try f.append("app.jsonl", lines("a", 0..<3) + line("a", 3).prefix(30))
        #expect(try await tailer.poll() == 3)
        #expect(try await tailer.poll() == 0)  // the half-written line: nothing to read yet
        try f.append("app.jsonl", String(line("a", 3).dropFirst(30)) + lines("a", 4..<40))
        try f.move("app.jsonl", "app.jsonl.1")
        while try await tailer.poll() > 0 { clock.advance(3) }
        #expect(try await f.requests("a") == 40)
        #expect(try await f.counts().badTotal == 0)
    }

    /// Two tailers of one source into one database (two `sluice` processes by mistake): each
    /// batch counts only if its file's checkpoint is where the batch began, so the loser of a race
    /// is refused whole, starts over from the stored checkpoints, and no line counts twice.
    @Test func twoTailersOfOneSourceCountEveryLineOnce() async throws {
        let f = try TailFixture()
        try f.append("app.jsonl", lines("a", 0..<300))
        try f.copyTruncate("app.jsonl", to: "app.jsonl.1")
        try f.append("app.jsonl", lines("a", 300..<600))
        async let one = Self.drain(f.tailer("app.jsonl*", batchLines: 7))
        async let two = Self.drain(f.tailer("app.jsonl*", batchLines: 5))
        let refused = try await one + two
        #expect(try await f.requests("a") == 600)
        #expect(try await f.counts().records == 600)
        #expect(refused > 0)
    }

    /// A copy found while it is still being written, its original already truncated: it waits
    /// until it reaches where the original was read to. It was placed at its size then, and the
    /// lines between were counted twice (the crash test caught it once in ~25 runs).
    @Test func aCopyStillBeingWrittenWaitsUntilItReachesWhereItsOriginalWasRead() async throws {
        let f = try TailFixture()
        try f.append("app.jsonl", lines("a", 0..<100))
        let tailer = f.tailer("app.jsonl*", batchLines: 10)
        while try await tailer.poll() > 0 {}
        #expect(try await f.requests("a") == 100)
        let original = try Data(contentsOf: URL(fileURLWithPath: f.path("app.jsonl")))
        // The copy so far: its first 4 KB; the original is truncated and written on.
        try original.prefix(4096).write(to: URL(fileURLWithPath: f.path("app.jsonl.1")))
        try FileHandle(forWritingTo: URL(fileURLWithPath: f.path("app.jsonl"))).truncate(atOffset: 0)
        try f.append("app.jsonl", lines("b", 0..<5))
        _ = try await tailer.poll()
        // The copy is complete.
        try f.append("app.jsonl.1", Data(original.dropFirst(4096)))
        while try await tailer.poll() > 0 {}
        #expect(try await f.requests("a") == 100)
        #expect(try await f.requests("b") == 5)
    }

    /// A tailer refused (another process read on) forgets what it knew and starts again from the
    /// stored checkpoints; a deleted file it was draining can only be reached through its descriptor,
    /// so that is kept, and the file is drained from where the other process got to.
    @Test func aRefusedTailerStillDrainsADeletedFile() async throws {
        let f = try TailFixture()
        try f.append("app.jsonl", lines("a", 0..<100))
        let one = f.tailer("app.jsonl", batchLines: 10)
        let two = f.tailer("app.jsonl", batchLines: 10)
        one.roundsPerPoll = 1
        two.roundsPerPoll = 1
        #expect(try await one.poll() == 10)
        // The other reads on, holds its own descriptor, and stops (a replay done, a process gone).
        #expect(try await two.poll() == 10)
        try FileManager.default.removeItem(atPath: f.path("app.jsonl"))
        var refused = 0
        var idle = 0
        while idle < 3 {
            do {
                idle = try await one.poll() == 0 ? idle + 1 : 0
            } catch let error as StoreError where error.isCheckpointMoved {
                refused += 1
            }
        }
        #expect(refused == 1)
        #expect(try await f.requests("a") == 100)
        #expect(try await f.counts().records == 100)
    }

    /// Polls until three polls in a row find nothing; returns the batches refused as read by another.
    static func drain(_ tailer: FileTailer) async throws -> Int {
        var (idle, refused) = (0, 0)
        while idle < 3 {
            do {
                idle = try await tailer.poll() == 0 ? idle + 1 : 0
            } catch let error as StoreError where error.isCheckpointMoved {
                refused += 1
                idle = 0
            }
            await Task.yield()
        }
        return refused
    }

    @Test func followsSymlinksAndCountsALinkAndItsTargetOnce() async throws {
        let f = try TailFixture()
        let data = f.directory.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        try Data(lines("a", 0..<4).utf8).write(to: data.appendingPathComponent("day1.log"))
        try FileManager.default.createDirectory(
            at: f.directory.appendingPathComponent("logs"), withIntermediateDirectories: true)
        let link = f.path("logs/current.jsonl")
        try FileManager.default.createSymbolicLink(
            atPath: link, withDestinationPath: data.appendingPathComponent("day1.log").path)
        try FileManager.default.createSymbolicLink(
            atPath: f.path("logs/alias.jsonl"), withDestinationPath: data.appendingPathComponent("day1.log").path)
        let tailer = f.tailer("logs/*.jsonl")
        #expect(try await tailer.poll() == 4)
        // The link moves to the next day's file; the old one is drained through its descriptor.
        try Data(lines("a", 4..<6).utf8).write(to: data.appendingPathComponent("day2.log"))
        try f.append("data/day1.log", lines("a", 6..<7))
        try FileManager.default.removeItem(atPath: link)
        try FileManager.default.removeItem(atPath: f.path("logs/alias.jsonl"))
        try FileManager.default.createSymbolicLink(
            atPath: link, withDestinationPath: data.appendingPathComponent("day2.log").path)
        _ = try await tailer.poll()
        #expect(try await f.requests("a") == 7)
        #expect(tailer.directories.contains(data.path))
    }

    @Test func readsSeveralFilesFairly() async throws {
        let f = try TailFixture()
        let tailer = f.tailer("*.jsonl")
        tailer.roundsPerPoll = 4
        try f.append("busy.jsonl", lines("busy", 0..<1000))
        try f.append("quiet.jsonl", lines("quiet", 0..<10))
        _ = try await tailer.poll()
        // One poll: each file gets the same few batches; the quiet one is done, the busy one is not.
        #expect(try await f.requests("quiet") == 10)
        #expect(try await f.requests("busy") == 28)
        while try await tailer.poll() > 0 {}
        #expect(try await f.requests("busy") == 1000)
    }

    @Test func startAtEndSkipsHistoryOfFilesSeenAtStartup() async throws {
        let f = try TailFixture()
        try f.append("app.jsonl", lines("old", 0..<10))
        let tailer = f.tailer("*.jsonl", startAt: .end)
        #expect(try await tailer.poll() == 0)
        try f.append("app.jsonl", line("new", 1))
        try f.append("later.jsonl", line("new", 2))
        _ = try await tailer.poll()
        #expect(try await f.requests("old") == 0)
        #expect(try await f.requests("new") == 2)
    }

    @Test func startAtEndAppliesOnlyToASourceNeverRead() async throws {
        let f = try TailFixture()
        try f.append("app.jsonl", lines("old", 0..<10) + String(line("old", 10).prefix(20)))
        #expect(try await f.tailer("*.jsonl", startAt: .end).poll() == 0)
        // Written while Sluice was down: a restart must not skip it. The line being written at the
        // first start is read whole, not as a fragment.
        try f.append("app.jsonl", String(line("old", 10).dropFirst(20)) + line("new", 1))
        try f.append("later.jsonl", line("new", 2))
        #expect(try await f.tailer("*.jsonl", startAt: .end).poll() == 3)
        #expect(try await f.requests("new") == 2)
        #expect(try await f.requests("old") == 1)
        #expect(try await f.counts().bad.isEmpty)
    }

    @Test func skipsABinaryFileMatchedByTheGlobCountingItOnce() async throws {
        let f = try TailFixture()
        try f.append("app.jsonl", lines("a", 0..<50))
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gzip.arguments = ["-k", f.path("app.jsonl")]
        try gzip.run()
        gzip.waitUntilExit()
        var random = SystemRandomNumberGenerator()
        // Random bytes, but never `{`: a `{"` in the first bytes would rightly look like JSON lines.
        try f.append(
            "blob.jsonl",
            Data((0..<5000).map { _ in UInt8.random(in: 0...255, using: &random) }.map { $0 == 0x7B ? 0 : $0 }))
        let tailer = f.tailer("*.jsonl*")
        _ = try await tailer.poll()
        _ = try await tailer.poll()
        #expect(try await f.requests("a") == 50)
        let counts = try await f.counts()
        #expect(counts.bad == ["binary_file": 2])
        #expect(try await f.store.badLineSamples().filter { $0.reason == "binary_file" }.count == 2)
    }

    @Test func reportsLagInBytesAndSecondsWhileBehind() async throws {
        let f = try TailFixture()
        let tailer = f.tailer("app.jsonl")
        let clock = TestClock()
        tailer.clock = clock.read
        tailer.roundsPerPoll = 1
        try f.append("app.jsonl", lines("a", 0..<100))
        let size = Int64(lines("a", 0..<100).utf8.count)
        _ = try await tailer.poll()
        clock.advance(5)
        _ = try await tailer.poll()
        let behind = try #require(tailer.snapshot.first)
        #expect(behind.lagBytes == size - behind.offset!)
        #expect(behind.lagBytes! > 0)
        #expect(behind.lagSeconds == 5)
        while try await tailer.poll() > 0 {}
        let caughtUp = try #require(tailer.snapshot.first)
        #expect(caughtUp.lagBytes == 0 && caughtUp.lagSeconds == 0 && caughtUp.offset == size)
    }
}

@Suite struct TailServiceTests {
    /// Runs a TailService with a 30 s poll: only a file event can bring a line in quickly.
    func linesArrive(fileEvents: Bool, within seconds: Double) async throws -> Bool {
        let f = try TailFixture()
        try f.append("app.jsonl", line("a", 0))
        let tailer = f.tailer("*.jsonl")
        let scoring = ScoringRunner(
            store: f.store, scorer: Scorer(policy: ScoringPolicy()), eventInterval: 900, logger: Logger(label: "t"))
        let service = TailService(
            tailers: [tailer], scoring: scoring, pollInterval: 30, fileEvents: fileEvents, logger: Logger(label: "t"))
        let task = Task { try await service.run() }
        defer { task.cancel() }
        // The first line is in and a poll found nothing more: the loop is now waiting. On a machine
        // loaded with the whole suite the first polls can take a minute: wait for them, whatever it takes,
        // or the new file below could be read by them rather than by a wake-up.
        let deadline = Date().addingTimeInterval(300)
        while try await f.requests("a") < 1 && Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        // Poll 1 reads it, poll 2 finds nothing.
        while tailer.polls.load(ordering: .relaxed) < 2 && Date() < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        try #require(tailer.polls.load(ordering: .relaxed) >= 2, "the tail loop never went idle")
        // Slack for poll 2 to finish on a loaded machine before the new file appears.
        try await Task.sleep(for: .seconds(1))
        try f.append("later.jsonl", line("b", 1))
        let start = Date()
        while Date().timeIntervalSince(start) < seconds {
            if try await f.requests("b") == 1 { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    @Test func fileEventsWakeThePollLoop() async throws {
        // Well under the 30 s poll, with room for a fully loaded machine.
        #expect(try await linesArrive(fileEvents: true, within: 20))
    }

    @Test func withoutFileEventsTheLoopWaitsForThePoll() async throws {
        #expect(try await !linesArrive(fileEvents: false, within: 1))
    }
}

/// Random interleavings of writes, rotations (rename and copytruncate, with copies seen while
/// half-written), polls and restarts: the store must hold every line exactly once.
@Suite struct TailerInterleavingTests {
    @Test(arguments: 1...24)
    func everyLineOnceWhateverTheInterleaving(seed: Int) async throws {
        var rng = ParserFuzzTests.SplitMix64(state: UInt64(seed))
        let f = try TailFixture()
        var tailer = f.tailer("app.jsonl*", batchLines: 5)
        var written = 0
        var rotations = 0
        var log: [String] = []
        func poll() async throws {
            _ = try await tailer.poll()
        }
        for _ in 0..<150 {
            var operation = Int.random(in: 0..<10, using: &rng)
            if operation == 4 || operation == 5, !FileManager.default.fileExists(atPath: f.path("app.jsonl")) {
                operation = 0
            }
            switch operation {
            case 0...3:
                let count = Int.random(in: 1...8, using: &rng)
                try f.append("app.jsonl", lines("a", written..<(written + count)))
                written += count
                log.append("append \(count)")
            case 4:
                rotations += 1
                try f.move("app.jsonl", String(format: "app.jsonl.%03d", rotations))
                log.append("rename")
            case 5:
                rotations += 1
                let copy = String(format: "app.jsonl.%03d", rotations)
                let content = try Data(contentsOf: URL(fileURLWithPath: f.path("app.jsonl")))
                // The copy is written in pieces, with polls in between.
                let cut = Int.random(in: 0...content.count, using: &rng)
                try f.append(copy, content.prefix(cut))
                if Bool.random(using: &rng) { try await poll(); log.append("poll mid-copy \(cut)/\(content.count)") }
                try f.append(copy, content.dropFirst(cut))
                if Bool.random(using: &rng) { try await poll(); log.append("poll before truncate") }
                try FileHandle(forWritingTo: URL(fileURLWithPath: f.path("app.jsonl"))).truncate(atOffset: 0)
                log.append("copytruncate")
            case 6, 7, 8:
                try await poll()
                log.append("poll")
            default:
                tailer = f.tailer("app.jsonl*", batchLines: 5)
                log.append("restart")
            }
        }
        for _ in 0..<5 { _ = try await tailer.poll() }
        let counted = try await f.requests("a")
        #expect(counted == Int64(written), "\(log.joined(separator: ", "))")
    }
}
