import Foundation
import Logging
import SluiceCore
import SluiceIngest
import SluiceStore

/// The parts a run wires together: the store, one tailer per source, the scoring runner.
struct Engine {
    let configuration: SluiceCore.Configuration
    let store: SQLiteStore
    let tailers: [FileTailer]
    let scoring: ScoringRunner

    init(configuration: SluiceCore.Configuration, logger: Logger) throws {
        self.configuration = configuration
        let directory = (configuration.storePath as NSString).deletingLastPathComponent
        if !directory.isEmpty && !FileManager.default.fileExists(atPath: directory) {
            throw UserError("store directory \(directory) does not exist; create it or change store.path")
        }
        let store: SQLiteStore
        do {
            store = try SQLiteStore(path: configuration.storePath)
        } catch {
            throw UserError("\(error)")
        }
        self.store = store
        let keyHasher = KeyHasher(secret: configuration.keySecret)
        tailers = configuration.sources.map {
            FileTailer(source: $0, keyHasher: keyHasher, store: store, ingest: configuration.ingest, logger: logger)
        }
        scoring = ScoringRunner(
            store: store, scorer: Scorer(policy: configuration.scoring.policy),
            eventInterval: configuration.scoring.eventInterval, logger: logger)
    }

    /// Reads every source to its end (an unterminated last line included: the files are complete),
    /// sources taking turns a bounded poll each, then scores once more.
    func drainAll(progress: ((Int) -> Void)? = nil) async throws -> Int {
        var total = 0
        for tailer in tailers { tailer.filesAreComplete = true }
        var active = tailers
        while !active.isEmpty {
            var still: [FileTailer] = []
            for tailer in active {
                let consumed: Int
                do {
                    consumed = try await tailer.poll { time in await scoring.eventTimeAdvanced(to: time) }
                } catch let error as StoreError where error.isCheckpointMoved {
                    // Another process read these lines first (the tailer said so); read on from where it got.
                    still.append(tailer)
                    continue
                }
                total += consumed
                progress?(total)
                if consumed > 0 { still.append(tailer) }
            }
            active = still
        }
        await scoring.runPass()
        return total
    }
}
