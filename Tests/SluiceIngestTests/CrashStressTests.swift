import Foundation
import Logging
import SluiceCore
import SluiceStore
import Synchronization
import Testing

@testable import SluiceIngest

/// Appends lines on its own thread while the tailer reads, rotating often by rename and by
/// copytruncate (copied in 4 KB pieces, as `cp` does), sometimes writing a line in two pieces.
final class BusyWriter: Sendable {
    let fixture: TailFixture
    let written = Atomic<Int>(0)
    let running = Atomic<Bool>(true)
    let finished = DispatchSemaphore(value: 0)

    init(_ fixture: TailFixture) { self.fixture = fixture }

    func start(seed: UInt64, budget: Int) {
        Thread.detachNewThread { [self] in
            var rng = ParserFuzzTests.SplitMix64(state: seed)
            var sinceRotation = 0
            var rotations = 0
            while running.load(ordering: .relaxed) && written.load(ordering: .relaxed) < budget {
                let count = Int.random(in: 1...6, using: &rng)
                let first = written.load(ordering: .relaxed)
                let text = Data(lines("a", first..<(first + count)).utf8)
                if Bool.random(using: &rng) {
                    let cut = Int.random(in: 1..<text.count, using: &rng)
                    try? fixture.append("app.jsonl", text.prefix(cut))
                    Thread.sleep(forTimeInterval: 0.001)
                    try? fixture.append("app.jsonl", text.dropFirst(cut))
                } else {
                    try? fixture.append("app.jsonl", text)
                }
                written.add(count, ordering: .relaxed)
                sinceRotation += count
                if sinceRotation > Int.random(in: 30...120, using: &rng) {
                    rotations += 1
                    let rotated = String(format: "app.jsonl.%04d", rotations)
                    if rotations % 3 == 0 {
                        try? fixture.copyTruncate("app.jsonl", to: rotated)
                    } else {
                        try? fixture.move("app.jsonl", rotated)
                    }
                    sinceRotation = 0
                }
                Thread.sleep(forTimeInterval: Double.random(in: 0.002...0.008, using: &rng))
            }
            finished.signal()
        }
    }

    func stop() {
        running.store(false, ordering: .relaxed)
        finished.wait()
    }
}

@Suite struct CrashStressTests {
    /// Tailers die at any commit, again and again, while a writer appends and rotates: every
    /// line still counts exactly once. A life is either bare polls or the tail service of
    /// `serve`, with its file events and the scoring passes batches trigger.
    @Test(arguments: 1...4)
    func everyLineOnceThroughDeathsAtAnyCommit(seed: Int) async throws {
        let f = try TailFixture(busyTimeout: 0)
        let writer = BusyWriter(f)
        writer.start(seed: UInt64(seed), budget: 6000)
        var rng = ParserFuzzTests.SplitMix64(state: UInt64(seed) &* 7919)
        for life in 0..<50 {
            let tailer = f.tailer("app.jsonl*", batchLines: 3)
            // Rotated files settle at once, so a backlog mistaken for an unterminated last line would show.
            tailer.settleSeconds = 0.01
            tailer.roundsPerPoll = 2
            let running: Task<Void, any Error>
            if life % 2 == 0 {
                running = Task {
                    while !Task.isCancelled {
                        _ = try await tailer.poll()
                        try await Task.sleep(for: .milliseconds(Int.random(in: 1...20)))
                    }
                }
            } else {
                let scoring = ScoringRunner(
                    store: f.store, scorer: Scorer(policy: ScoringPolicy()), eventInterval: 60,
                    logger: Logger(label: "test"))
                let service = TailService(
                    tailers: [tailer], scoring: scoring, pollInterval: 0.02, logger: Logger(label: "test"))
                running = Task { try await service.run() }
            }
            try await Task.sleep(for: .milliseconds(Int.random(in: 5...120, using: &rng)))
            // Another connection takes the write lock and keeps it: from then on no commit of
            // this tailer goes through, as if its process had died at that instant.
            let death = try WriteLock(path: f.store.path, waiting: 30)
            running.cancel()
            _ = await running.result
            death.unlock()
        }
        writer.stop()
        let tailer = f.tailer("app.jsonl*", batchLines: 50)
        for _ in 0..<3 {
            while try await tailer.poll() > 0 {}
        }
        let counted = try await f.requests("a")
        #expect(counted == Int64(writer.written.load(ordering: .relaxed)))
    }
}
