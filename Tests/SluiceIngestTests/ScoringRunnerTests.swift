import Foundation
import GRDB
import Logging
import SluiceCore
import SluiceStore
import SluiceTestSupport
import Testing

@testable import SluiceIngest

@Suite struct ScoringRunnerTests {
    static let t0 = 1_795_630_000.0

    /// `count` requests of `account`, a minute apart from `start`.
    static func requests(_ account: String, _ count: Int, from start: Double) -> [(RequestRecord, RequestFeatures)] {
        (0..<count).map { i in
            var record = RequestRecord(time: start + Double(i) * 60, account: account, promptTokens: 10)
            record.messages = [ChatMessage(role: "user", text: "question \(i) of \(account)")]
            return (record, RequestFeatures(record))
        }
    }

    /// The number of entities each saved pass assessed, in the order the passes were saved.
    static func assessedByRun(_ path: String) throws -> [Int] {
        try DatabaseQueue(path: path).read { db in
            try Int.fetchAll(db, sql: "SELECT accounts FROM scoring_runs ORDER BY id")
        }
    }

    /// The tailer commits its next batch as soon as `eventTimeAdvanced` returns: the pass that
    /// call started must not see that batch, however long it takes to assess and save.
    @Test func aPassScoresWhatWasCommittedWhenItStartedAndPassesSaveInOrder() async throws {
        let path = try scratchDirectory("sluice-scoring").appendingPathComponent("sluice.db").path
        let store = try SQLiteStore(path: path)
        let runner = ScoringRunner(
            store: store, scorer: Scorer(policy: ScoringPolicy()), eventInterval: 900, logger: Logger(label: "t"))
        let progress = IngestProgress(source: "s")
        var time = Self.t0
        await runner.eventTimeAdvanced(to: time)  // sets the first boundary
        for round in 1...6 {
            // Each round adds an entity above every evidence floor, then crosses a boundary.
            _ = try await store.commit(Self.requests("acct-\(round)", 40, from: time), progress: progress)
            time += 3600
            await runner.eventTimeAdvanced(to: time)
        }
        await runner.finishPasses()
        #expect(try Self.assessedByRun(path) == [1, 2, 3, 4, 5, 6])
        #expect(await runner.passes == 6)
    }
}
