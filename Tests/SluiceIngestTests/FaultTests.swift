import Foundation
import GRDB
import Logging
import SluiceCore
import SluiceStore
import SluiceTestSupport
import Testing

@testable import SluiceIngest

/// Runs `mount`/`umount`; true on success.
@discardableResult
func system(_ tool: String, _ arguments: [String]) -> Bool {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: tool)
    process.arguments = arguments
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return false }
    process.waitUntilExit()
    return process.terminationStatus == 0
}

/// Mounting needs root (CI and the dev machines run as root); elsewhere these tests are skipped.
let canMount: Bool = {
    guard geteuid() == 0 else { return false }
    let probe = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-mount-probe-\(getpid())")
    try? FileManager.default.createDirectory(at: probe, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: probe) }
    guard system("/bin/mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", probe.path]) else { return false }
    return system("/bin/umount", [probe.path])
}()

/// Another connection holding SQLite's write lock (an open `BEGIN IMMEDIATE`) until `unlock`.
final class WriteLock: @unchecked Sendable {
    let held = DispatchSemaphore(value: 0)
    let release = DispatchSemaphore(value: 0)

    /// - Parameter waiting: seconds to wait for a transaction in progress to end; by default none.
    init(path: String, waiting: Double? = nil) throws {
        var configuration = GRDB.Configuration()
        if let waiting { configuration.busyMode = .timeout(waiting) }
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        Thread.detachNewThread { [held, release] in
            try? queue.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    held.signal()
                    release.wait()
                    return .commit
                }
            }
        }
        held.wait()
    }

    func unlock() { release.signal() }
}

/// Faults of the store under ingestion: the batch fails whole, the checkpoint stays, the error says
/// what to do, and the same lines go in exactly once when the fault is gone.
@Suite(.serialized) struct FaultTests {
    func committedOffset(_ store: SQLiteStore) async throws -> Int64 {
        try await store.checkpoints().filter { !$0.identity.contains("@") }.map(\.offset).reduce(0, +)
    }

    @Test func aLockedDatabaseFailsTheBatchWhichIsRetriedNotSkipped() async throws {
        let f = try TailFixture(busyTimeout: 0.2)
        let tailer = f.tailer("app.jsonl")
        try f.append("app.jsonl", lines("a", 0..<5))
        _ = try await tailer.poll()
        // Another process takes the write lock and keeps it.
        let blocker = try WriteLock(path: f.path("sluice.db"))
        try f.append("app.jsonl", lines("a", 5..<30))
        await #expect {
            try await tailer.poll()
        } throws: { error in
            (error as? StoreError)?.code == "locked" && "\(error)".contains("locked by another process")
        }
        #expect(try await committedOffset(f.store) == Int64(lines("a", 0..<5).utf8.count))
        // Reads go on while the writer is locked out.
        #expect(try await f.requests("a") == 5)
        blocker.unlock()
        while try await tailer.poll() > 0 {}
        #expect(try await f.requests("a") == 30)
        #expect(try await f.store.integrityCheck() == "ok")
    }

    @Test func theTailServiceReportsTheFailureRetriesAndRecovers() async throws {
        let f = try TailFixture(busyTimeout: 0.1)
        let tailer = f.tailer("app.jsonl")
        let blocker = try WriteLock(path: f.path("sluice.db"))
        try f.append("app.jsonl", lines("a", 0..<20))
        let scoring = ScoringRunner(
            store: f.store, scorer: Scorer(policy: ScoringPolicy()), eventInterval: 900, logger: Logger(label: "t"))
        let service = TailService(tailers: [tailer], scoring: scoring, pollInterval: 0.05, logger: Logger(label: "t"))
        let task = Task { try await service.run() }
        defer { task.cancel() }
        var deadline = Date().addingTimeInterval(patience)
        while tailer.lastError == nil && Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        let error = try #require(tailer.lastError)
        #expect(error.contains("ingest from test failed, retrying in"))
        #expect(error.contains("locked by another process"))
        #expect(try await f.requests("a") == 0)
        blocker.unlock()
        deadline = Date().addingTimeInterval(patience)
        while try await f.requests("a") < 20 && Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(try await f.requests("a") == 20)
        while tailer.lastError != nil && Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(tailer.lastError == nil)
    }

    @Test(.enabled(if: canMount, "needs root to mount a tmpfs"))
    func aFullDiskFailsTheBatchWhichGoesInOnceThereIsRoom() async throws {
        let root = try scratchDirectory("sluice-full")
        let disk = root.appendingPathComponent("disk")
        try FileManager.default.createDirectory(at: disk, withIntermediateDirectories: true)
        #expect(system("/bin/mount", ["-t", "tmpfs", "-o", "size=16m", "tmpfs", disk.path]))
        defer { system("/bin/umount", ["-l", disk.path]) }
        let f = try TailFixture(storeDirectory: disk)
        let tailer = f.tailer("app.jsonl", batchLines: 500)
        try f.append("app.jsonl", lines("a", 0..<10))
        _ = try await tailer.poll()
        // Fill the disk.
        let ballast = disk.appendingPathComponent("ballast")
        _ = FileManager.default.createFile(atPath: ballast.path, contents: nil)
        let handle = try FileHandle(forWritingTo: ballast)
        while (try? handle.write(contentsOf: Data(count: 4096))) != nil {}
        try? handle.close()
        // Many accounts: a batch far bigger than what is left.
        try f.append("app.jsonl", (10..<1000).map { line("acct\($0 % 100)", $0) }.joined())
        await #expect {
            try await tailer.poll()
        } throws: { error in
            (error as? StoreError)?.code == "disk_full" && "\(error)".contains("free space")
        }
        #expect(try await committedOffset(f.store) == Int64(lines("a", 0..<10).utf8.count))
        try FileManager.default.removeItem(at: ballast)
        while try await tailer.poll() > 0 {}
        #expect(try await f.requests("a") == 10)
        #expect(
            try await f.store.profiles().filter { $0.id.hasPrefix("acct") }.map { $0.totals[.requests] }.reduce(0, +)
                == 990)
        #expect(try await f.counts().records == 1000)
        #expect(try await f.store.integrityCheck() == "ok")
    }

    @Test(.enabled(if: canMount, "needs root to mount"))
    func aReadOnlyDatabaseFileIsAClearErrorAndNothingIsLost() async throws {
        let directory = try scratchDirectory("sluice-ro")
        let database = directory.appendingPathComponent("sluice.db").path
        let logs = try TailFixture()
        try logs.append("app.jsonl", lines("a", 0..<10))
        func tailer(_ store: SQLiteStore) -> FileTailer {
            FileTailer(
                source: Configuration.Source(name: "test", path: logs.path("app.jsonl"), format: .openai),
                keyHasher: KeyHasher(secret: "s"), store: store, ingest: Configuration.Ingest(),
                logger: Logger(label: "t"))
        }
        do {
            let store = try SQLiteStore(path: database)
            _ = try await tailer(store).poll()
        }
        try logs.append("app.jsonl", lines("a", 10..<15))
        // Only the file is read-only: its directory stays writable, as after a careless chmod or chown.
        #expect(system("/bin/mount", ["--bind", database, database]))
        #expect(system("/bin/mount", ["-o", "remount,bind,ro", database]))
        var unmounted = false
        defer { if !unmounted { system("/bin/umount", [database]) } }
        do {
            let store = try SQLiteStore(path: database)
            _ = try await tailer(store).poll()
            Issue.record("a write to a read-only database succeeded")
        } catch let error as StoreError {
            #expect(error.code == "read_only", "\(error)")
            #expect(error.message.contains("read-only") && error.message.contains(database))
        }
        #expect(system("/bin/umount", [database]))
        unmounted = true
        let store = try SQLiteStore(path: database)
        _ = try await tailer(store).poll()
        #expect(try await store.profiles().first { $0.id == "a" }?.totals[.requests] == 15)
        #expect(try await store.integrityCheck() == "ok")
    }
}
