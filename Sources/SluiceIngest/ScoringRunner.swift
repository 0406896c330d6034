import Foundation
import Logging
import SluiceCore
import SluiceStore

/// Runs scoring passes: on event time (whenever the logs' own clock crosses `eventInterval`) and
/// on demand (the wall-clock timer of `serve`, the end of a replay).
///
/// A pass scores what was committed when it starts: its read snapshot is taken before
/// `eventTimeAdvanced` returns, so the tailer's next batch is not in it. It then assesses and saves
/// while ingestion goes on; passes save one after another, in the order they started.
public actor ScoringRunner {
    let store: SQLiteStore
    let scorer: Scorer
    let eventInterval: Double
    let logger: Logger
    var nextEventScore: Double?
    public private(set) var latestEventTime: Double = 0
    public private(set) var lastPass: Date?
    /// Passes since start, for metrics.
    public private(set) var passes = 0
    /// Where the last pass spent its time, for `sluice bench` and the debug log.
    public private(set) var lastTimings: PassTimings?
    /// Called with every pass's assessments once they are saved (the `auto_block` policy).
    var afterPass: (@Sendable ([Assessment]) async -> Void)?
    /// The pass started last, perhaps still assessing or saving.
    var latest: Task<Int, Never>?

    public init(store: SQLiteStore, scorer: Scorer, eventInterval: Double, logger: Logger) {
        self.store = store
        self.scorer = scorer
        self.eventInterval = max(eventInterval, 1)
        self.logger = logger
    }

    /// Sets what runs after each saved pass; `serve` applies the `auto_block` policy there.
    public func setAfterPass(_ hook: (@Sendable ([Assessment]) async -> Void)?) {
        afterPass = hook
    }

    /// Called after every committed batch with the newest event time it held. Returns once a
    /// pass this starts has read its snapshot, not when the pass is done.
    public func eventTimeAdvanced(to time: Double) async {
        guard time > latestEventTime else { return }
        latestEventTime = time
        guard let next = nextEventScore else {
            nextEventScore = boundary(after: time)
            return
        }
        if time >= next {
            nextEventScore = boundary(after: time)
            _ = await startPass()
        }
    }

    func boundary(after time: Double) -> Double { ((time / eventInterval).rounded(.down) + 1) * eventInterval }

    /// Scores every account now, at the latest event time seen, after the passes before it.
    /// Errors are logged, not thrown: the next pass tries again. Returns the accounts flagged.
    @discardableResult
    public func runPass() async -> Int {
        await startPass().value
    }

    /// Waits for the passes started so far to save (at shutdown).
    public func finishPasses() async {
        _ = await latest?.value
    }

    /// Starts a pass; returns once it has read what it scores (or failed to).
    func startPass() async -> Task<Int, Never> {
        let previous = latest
        let (snapshot, taken) = AsyncStream<Void>.makeStream()
        let pass = Task { await self.pass(after: previous) { taken.finish() } }
        latest = pass
        for await _ in snapshot {}
        return pass
    }

    func pass(after previous: Task<Int, Never>?, snapshotTaken: @escaping @Sendable () -> Void) async -> Int {
        let started = Date()
        defer { snapshotTaken() }
        do {
            // Below every evidence floor an entity can be neither flagged, clustered nor compared;
            // accounts (never end users) join clusters from a lower floor.
            let floor = min(
                Int(scorer.clustering.minimumRequests), scorer.policy.minimumRequests,
                scorer.policy.minimumEndUserRequests)
            let accountFloor = min(floor, Int(scorer.clustering.minimumJoinerRequests))
            let clock = ContinuousClock()
            var timings = PassTimings()
            var step = clock.now
            func lap() -> Double {
                let now = clock.now
                defer { step = now }
                return (now - step).seconds
            }
            let profiles = try await store.profiles(
                minimumRequests: floor, minimumAccountRequests: accountFloor, snapshotTaken: snapshotTaken)
            timings.load = lap()
            var assessments = scorer.assess(profiles)
            timings.assess = lap()
            let eventTime = latestEventTime > 0 ? latestEventTime : started.timeIntervalSince1970
            // Scores are saved in the order passes started, each over the one before.
            _ = await previous?.value
            step = clock.now
            let allowed = try await store.activeAccounts(.allow)
            // Allowlisted accounts keep their score, for the record, but are never flagged.
            for i in assessments.indices where allowed.contains(assessments[i].account) {
                assessments[i].level = .none
            }
            let seconds = timings.load + timings.assess
            // An account's requests when it was flagged are those the pass saw; only flagged
            // accounts need them (a pass over 100k accounts flags a few).
            let flaggedAccounts = Set(assessments.lazy.filter { $0.level >= .review }.map(\.account))
            let requests = Dictionary(
                uniqueKeysWithValues: profiles.lazy.filter { flaggedAccounts.contains($0.id) }.map {
                    ($0.id, $0.totals[.requests])
                })
            try await store.save(assessments, eventTime: eventTime, seconds: seconds, requests: requests)
            timings.save = lap()
            lastPass = Date()
            passes += 1
            await afterPass?(assessments)
            timings.afterPass = lap()
            lastTimings = timings
            let flagged = flaggedAccounts.count
            logger.debug(
                "scored",
                metadata: [
                    "accounts": "\(profiles.count)", "flagged": "\(flagged)", "seconds": "\(seconds)",
                    "load": "\(timings.load)", "assess": "\(timings.assess)", "save": "\(timings.save)",
                ])
            return flagged
        } catch {
            logger.error("scoring pass failed: \(error)")
            return 0
        }
    }
}

/// Seconds a scoring pass spent in each of its steps.
public struct PassTimings: Sendable, Codable, Equatable {
    /// Reading and decoding every profile.
    public var load = 0.0
    /// Scoring, clustering included.
    public var assess = 0.0
    /// Reading the allowlist and writing the scores.
    public var save = 0.0
    public var afterPass = 0.0
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
