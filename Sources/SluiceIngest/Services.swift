import Foundation
import Logging
import ServiceLifecycle
import SluiceCore
import SluiceStore

/// Tails every configured source until shutdown. A batch in flight always finishes and commits.
public struct TailService: Service {
    let tailers: [FileTailer]
    let scoring: ScoringRunner
    let pollInterval: Double
    let logger: Logger

    public init(tailers: [FileTailer], scoring: ScoringRunner, pollInterval: Double, logger: Logger) {
        self.tailers = tailers
        self.scoring = scoring
        self.pollInterval = pollInterval
        self.logger = logger
    }

    public func run() async throws {
        var failures = 0
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            var consumed = 0
            var failed = false
            for tailer in tailers {
                do {
                    consumed += try await tailer.poll { time in await scoring.eventTimeAdvanced(to: time) }
                } catch {
                    failed = true
                    logger.error("ingest from \(tailer.source.name) failed, will retry: \(error)")
                }
            }
            failures = failed ? min(failures + 1, 6) : 0
            if consumed == 0 || failed {
                // Back off on repeated failures (a locked or full disk), up to ~16 s.
                let delay = pollInterval * pow(2, Double(failures))
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(min(delay, 16))) }
            }
        }
    }
}

/// Runs a scoring pass every `interval` of wall-clock time.
public struct ScoringService: Service {
    let scoring: ScoringRunner
    let interval: Double

    public init(scoring: ScoringRunner, interval: Double) {
        self.scoring = scoring
        self.interval = interval
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(max(interval, 0.1))) }
            } catch {
                return
            }
            await scoring.runPass()
        }
    }
}
