import Foundation
import Logging
import ServiceLifecycle
import SluiceCore
import SluiceStore

/// Tails every configured source until shutdown. A batch in flight always finishes and commits.
///
/// Sources take turns, a bounded poll each, so a busy one cannot starve the others. File-change
/// notifications (inotify) wake the loop early; the poll every `pollInterval` is the fallback.
/// A failing source (a locked, full or read-only database) is retried with backoff, its error in
/// `FileTailer.lastError`; its checkpoint does not move past lines that were not committed.
public struct TailService: Service {
    let tailers: [FileTailer]
    let scoring: ScoringRunner
    let pollInterval: Double
    let fileEvents: Bool
    let logger: Logger

    /// - Parameter fileEvents: wake on inotify events where available (else poll only).
    public init(
        tailers: [FileTailer], scoring: ScoringRunner, pollInterval: Double, fileEvents: Bool = true, logger: Logger
    ) {
        self.tailers = tailers
        self.scoring = scoring
        self.pollInterval = pollInterval
        self.fileEvents = fileEvents
        self.logger = logger
    }

    /// Longest wait between retries of a failing source.
    static let maximumBackoff = 16.0

    public func run() async throws {
        let wakeup = Wakeup()
        let watcher = fileEvents ? FileWatcher(wakeup: wakeup) : nil
        defer { watcher?.stop() }
        var failures = 0
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            var consumed = 0
            var failed = false
            var startedOver = false
            let delay = min(pollInterval * pow(2, Double(min(failures + 1, 8))), Self.maximumBackoff)
            for tailer in tailers {
                do {
                    consumed += try await tailer.poll { time in await scoring.eventTimeAdvanced(to: time) }
                    if tailer.lastError != nil {
                        logger.notice("ingest from \(tailer.source.name) recovered")
                        tailer.noteError(nil)
                    }
                } catch let error as StoreError where error.isCheckpointMoved {
                    // Not a fault of the store: another process read those lines first, and the
                    // tailer has started over from the stored checkpoints. Shown, not backed off.
                    startedOver = true
                    tailer.noteError("\(Date().formatted(.iso8601)) \(error.message)")
                } catch {
                    failed = true
                    let message =
                        "ingest from \(tailer.source.name) failed, retrying in \(Self.seconds(delay)): \(error)"
                    logger.error("\(message)")
                    tailer.noteError("\(Date().formatted(.iso8601)) \(message)")
                }
            }
            watcher?.watch(tailers.reduce(into: Set<String>()) { $0.formUnion($1.directories) })
            failures = failed ? failures + 1 : 0
            if failed {
                // Back off on repeated failures (a locked or full disk), up to 16 s; file events do
                // not shorten it: the store, not the files, is what failed.
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(delay)) }
            } else if consumed == 0 && !startedOver {
                await cancelWhenGracefulShutdown {
                    await wakeup.wait(timeout: .seconds(pollInterval))
                }
                // A burst of events wakes the loop once, not once per write.
                try? await Task.sleep(for: .milliseconds(10))
            }
        }
        await scoring.finishPasses()
    }

    static func seconds(_ value: Double) -> String {
        value < 1 ? "\(Int(value * 1000)) ms" : "\(Int(value.rounded())) s"
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
