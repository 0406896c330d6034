import Foundation
import Logging
import ServiceLifecycle
import SluiceCore
import SluiceStore
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads one configured source — a file or a glob — from its checkpoints to the end, batch by
/// batch, and commits each batch with its new offset in one transaction.
///
/// Files are known by device and inode, so a file renamed by rotation keeps its place; an open
/// descriptor is kept, so a rotated or deleted file is drained even when the glob no longer
/// matches it. A fingerprint of the first bytes catches truncation and reused inodes, and tells
/// a `copytruncate` copy from a new file: the copy continues where the original was read to.
/// Several files are read round-robin, one bounded batch each, so a busy file cannot starve a quiet one.
public final class FileTailer: @unchecked Sendable {
    // @unchecked: the mutable state is touched only from `poll`, which one task calls at a time;
    // what other tasks read is published through `published`, `health` and `watched`.
    public let source: Configuration.Source
    let parser: LogParser
    let store: SQLiteStore
    let batchLines: Int
    let logger: Logger
    var files: [String: TailedFile] = [:]
    var checkpoints: [String: Checkpoint] = [:]
    /// When a checkpoint's file was last seen; checkpoints unseen for `checkpointRetention` are forgotten.
    var untrackedSince: [String: Double] = [:]
    var firstScan = true
    /// `start_at: end` applies only to a source that has never been read: after that, every new
    /// file is read from its beginning, so nothing written while Sluice was down is skipped.
    var sourceIsNew = false
    let published = Mutex<[SourceStatus]>([])
    let health = Mutex<String?>(nil)
    let watched = Mutex<Set<String>>([])
    /// Polls done, for tests that must know the loop is waiting.
    let polls = Atomic<Int>(0)

    /// Seconds a rotated or deleted file must be idle before its unterminated last line is read as a line.
    var settleSeconds: Double = 2
    /// Seconds before the checkpoint of a file that left the glob (deleted, renamed away) is forgotten.
    var checkpointRetention: Double = 3600
    /// Batches per file per poll: bounds one poll so that other sources get their turn.
    var roundsPerPoll = 8
    /// Set for a replay: the files are complete, so an unterminated last line is read as a line at once.
    public var filesAreComplete = false
    var clock: @Sendable () -> Double = { Date().timeIntervalSince1970 }

    static let fingerprintLength = 256
    /// A copy is recognised only by a fingerprint at least this long: shorter prefixes are too common.
    static let minimumCopyMatch = 64

    struct TailedFile {
        enum State {
            /// Reading from `offset`.
            case reading
            /// New, not yet placed: its start (0, a copy's offset, the end) is decided by `place`.
            case pending
        }
        var identity: String
        var path: String
        /// The path the file had when first seen: a different current path means it was rotated.
        var firstPath: String
        var descriptor: Int32
        var state: State
        var offset: Int64 = 0
        var size: Int64 = 0
        var fingerprint: String = ""
        var lastEventTime: Double = 0
        var seenInGlob = true
        var deleted = false
        /// Wall time the size last changed.
        var lastChange: Double
        /// Wall time every complete line had been read; drives `lag_seconds`.
        var caughtUpAt: Double
        /// The bytes after `offset` hold no newline: an unterminated last line.
        var tailIsPartial = false
        var waitingNoted = false
        /// Where the batch in flight (read, not yet committed) ends, and the fingerprint then.
        var uncommitted: (offset: Int64, fingerprint: String)?
        /// Where the next batch starts: after the batch in flight, if any.
        var readOffset: Int64 { uncommitted?.offset ?? offset }

        /// Takes the size `fstat` gave; a change is the file's latest activity.
        mutating func noteSize(_ info: stat, at now: Double) {
            guard Int64(info.st_size) != size else { return }
            size = Int64(info.st_size)
            lastChange = now
        }
    }

    /// A batch the store is committing, or waiting to commit, while the next one is read and
    /// analysed, so that parsing (on every core) and writing overlap. Batches commit in the order
    /// they were read: each waits for the one before it. Only once a batch is committed does its
    /// file's offset move; a failed commit fails those behind it, and sends every file back to
    /// its committed offset.
    struct InFlight {
        var identity: String
        var commit: Task<CommitOutcome, any Error>
        var checkpoint: Checkpoint
        var latestEventTime: Double
    }
    /// Oldest first.
    var inFlight: [InFlight] = []
    /// Batches in flight at most. Two keep the writer busy: one commits while the next is queued
    /// behind it, so the writer never waits for the analysis, and the analysis takes what the
    /// writer leaves of the cores (with one, the writer's share of a batch ran alone at its end).
    static let batchesInFlight = 2

    /// - Parameters:
    ///   - source: the configured source: name, path or glob, format, account fields, `start_at`.
    ///   - ingest: line limit and batch size.
    public init(
        source: Configuration.Source, keyHasher: KeyHasher, store: SQLiteStore, ingest: Configuration.Ingest,
        logger: Logger
    ) {
        self.source = source
        self.parser = LogParser(
            format: source.format, accountPaths: source.account, keyHasher: keyHasher,
            maximumLineBytes: ingest.maxLineBytes)
        self.store = store
        self.batchLines = ingest.batchLines
        self.logger = logger
    }

    deinit {
        for file in files.values { close(file.descriptor) }
    }

    /// Where each file of this source stands, for `/v1/status` and metrics.
    public var snapshot: [SourceStatus] { published.withLock { $0 } }

    /// The last ingest failure of this source, with when and what to do; nil once a poll succeeds again.
    public var lastError: String? { health.withLock { $0 } }

    /// Records (or, with nil, clears) the failure shown as `last_error`.
    public func noteError(_ message: String?) { health.withLock { $0 = message } }

    /// Directories holding this source's files, for file-change notifications.
    public var directories: Set<String> { watched.withLock { $0 } }

    /// Reads what is new, up to `roundsPerPoll` batches per file. Returns the number of lines
    /// consumed (records, skipped and bad); 0 means every file is read to its last complete line.
    @discardableResult
    public func poll(onBatch: @escaping @Sendable (Double) async -> Void = { _ in }) async throws -> Int {
        do {
            return try await pollOnce(onBatch: onBatch)
        } catch {
            // A batch in flight may have been committed: its offset must move all the same.
            try? await settle()
            if (error as? StoreError)?.isCheckpointMoved == true {
                logger.warning("\(error)")
                startOver()
            }
            throw error
        }
    }

    func pollOnce(onBatch: @escaping @Sendable (Double) async -> Void) async throws -> Int {
        let now = clock()
        if firstScan {
            // Every source's: a checkpoint belongs to a file, whichever source (or process) read it.
            let stored = try await store.checkpoints()
            for checkpoint in stored { checkpoints[checkpoint.identity] = checkpoint }
            sourceIsNew = !stored.contains { $0.source == source.name }
            // Files kept through `startOver` go on from where the store says they were read to.
            for identity in files.keys {
                guard let checkpoint = checkpoints[identity] else { continue }
                files[identity]!.state = .reading
                files[identity]!.offset = checkpoint.offset
                files[identity]!.fingerprint = checkpoint.fingerprint
            }
        }
        for key in files.keys { files[key]!.seenInGlob = false }
        for path in Self.expand(source.path) { discover(path, now: now) }
        for identity in files.keys.sorted() where files[identity]?.state == .reading {
            try await refresh(identity, now: now)
        }
        // By path, so that an original (`app.jsonl`) is placed before a copy of it that appeared
        // in the same poll (`app.jsonl.1`), and the copy then waits for it.
        let pending = files.values.filter { $0.state == .pending }.sorted { $0.path < $1.path }.map(\.identity)
        for identity in pending {
            try await place(identity, now: now)
        }
        firstScan = false

        var consumed = 0
        // Rotated files first (`app.jsonl.1` sorts after `app.jsonl`), so a rotated file's last
        // lines go in before its successor's first ones.
        let order = files.keys.filter { files[$0]!.state == .reading }.sorted { files[$0]!.path > files[$1]!.path }
        rounds: for _ in 0..<roundsPerPoll {
            var progressed = false
            for identity in order {
                if Task.isShuttingDownGracefully || Task.isCancelled { break rounds }
                let lines = try await step(identity, onBatch: onBatch)
                if lines > 0 { progressed = true }
                consumed += lines
            }
            if !progressed { break }
        }
        try await settle()
        consumed += try await finish(now: clock())
        publish()
        polls.add(1, ordering: .relaxed)
        return consumed
    }

    // MARK: - Discovery and placement

    func discover(_ path: String, now: Double) {
        var info = stat()
        // `stat` follows symlinks: a link and its target are one file.
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return }
        var identity = "\(info.st_dev):\(info.st_ino)"
        if files[identity] != nil {
            files[identity]!.path = path
            files[identity]!.seenInGlob = true
            return
        }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            logger.warning("cannot open \(path): \(String(cString: strerror(errno))); check its permissions")
            return
        }
        // The name may have moved to another file between `stat` and `open`: trust the descriptor.
        guard fstat(descriptor, &info) == 0 else {
            close(descriptor)
            return
        }
        identity = "\(info.st_dev):\(info.st_ino)"
        if files[identity] != nil {
            close(descriptor)
            files[identity]!.path = path
            files[identity]!.seenInGlob = true
            return
        }
        var file = TailedFile(
            identity: identity, path: path, firstPath: path, descriptor: descriptor, state: .pending,
            size: Int64(info.st_size), lastChange: now, caughtUpAt: now)
        if let checkpoint = checkpoints[identity] {
            file.state = .reading
            file.offset = checkpoint.offset
            file.fingerprint = checkpoint.fingerprint
            file.firstPath = checkpoint.path
        }
        files[identity] = file
    }

    /// Decides where a new file starts: its beginning; where the file it is a copy of was read
    /// to (`copytruncate`); its end (`start_at: end` on a source never read); or past it when binary.
    func place(_ identity: String, now: Double) async throws {
        guard var file = files[identity] else { return }
        var info = stat()
        guard fstat(file.descriptor, &info) == 0 else { return }
        file.noteSize(info, at: now)
        defer { files[identity] = file }
        // An empty file is placed once it has bytes: it may be a copy that is about to be written.
        if file.size == 0 { return }
        if firstScan && sourceIsNew && source.startAt == .end {
            file.offset = Self.lastLineEnd(descriptor: file.descriptor, size: file.size)
            file.state = .reading
            try await persist(&file)
            return
        }
        let head = Self.head(descriptor: file.descriptor, size: file.size)
        if let kind = Self.binaryKind(head) {
            logger.warning("\(file.path) looks like a \(kind) file, not JSON lines; skipping it (narrow the glob?)")
            file.offset = file.size
            file.state = .reading
            var progress = IngestProgress(source: source.name)
            progress.bad[.binaryFile] = 1
            progress.samples.append(
                BadLineSample(
                    source: source.name, reason: BadLineReason.binaryFile.rawValue,
                    detail: "\(kind) file of \(file.size) bytes skipped", location: "\(file.path):0", at: Date()))
            try await persist(&file, progress: progress)
            return
        }
        // A file whose bytes are the start of a file being read is a copy of it, whole or still
        // being written (copytruncate, or `cp` into the glob): its lines are counted from the
        // original. It is placed once the original is truncated, or drained and gone.
        let original = files.values.first { other in
            guard other.identity != identity && other.state == .reading else { return false }
            let current = Self.head(descriptor: other.descriptor, size: other.size)
            return current.count >= head.count && current.starts(with: head)
        }
        if let original {
            if !file.waitingNoted {
                logger.info("\(file.path) is a copy of \(original.path); waiting for the original to be rotated")
                file.waitingNoted = true
            }
            return
        }
        // Where the content of this copy was read to: a checkpoint of a file gone or truncated
        // (a retired one), or a file being read that was truncated since `refresh`.
        let stored =
            checkpoints.values.filter { files[$0.identity] == nil }.map { ($0.fingerprint, $0.offset) }
            + files.values.filter { $0.identity != identity && $0.state == .reading }.map {
                ($0.fingerprint, $0.offset)
            }
        let matching = stored.filter {
            Self.fingerprintLengthOf($0.0) >= Self.minimumCopyMatch
                && Self.matches($0.0, descriptor: file.descriptor, size: file.size)
        }
        if let offset = matching.map(\.1).max() {
            // A copy still being written may not reach `offset` yet (its size above may be from
            // before the original was truncated): it waits until it does. Placed at its size, the
            // lines between were read twice; placed past its end, `refresh` would take it for truncated.
            if fstat(file.descriptor, &info) == 0 { file.noteSize(info, at: now) }
            guard file.size >= offset else {
                if !file.waitingNoted {
                    logger.info("\(file.path) is a copy of a file read to \(offset), still being written; waiting")
                    file.waitingNoted = true
                }
                return
            }
            file.state = .reading
            file.offset = offset
            logger.info("\(file.path) is a copy of a file read to \(offset); continuing from there")
            try await persist(&file)
        } else {
            file.state = .reading
        }
    }

    /// Commits a checkpoint without records: a placement must survive a crash.
    func persist(_ file: inout TailedFile, progress: IngestProgress? = nil) async throws {
        file.fingerprint = Self.fingerprint(descriptor: file.descriptor, size: max(file.size, file.offset))
        var progress = progress ?? IngestProgress(source: source.name)
        progress.checkpoint = Checkpoint(
            identity: file.identity, source: source.name, path: file.path, fingerprint: file.fingerprint,
            offset: file.offset)
        // A new file has no checkpoint, unless another process placed or read it first.
        progress.continuesFrom = 0
        _ = try await store.commit([], progress: progress)
        checkpoints[file.identity] = progress.checkpoint
    }

    /// Updates a file's size and notices truncation, in place or by `copytruncate`.
    func refresh(_ identity: String, now: Double) async throws {
        guard var file = files[identity] else { return }
        defer { files[identity] = file }
        var info = stat()
        guard fstat(file.descriptor, &info) == 0 else { return }
        file.deleted = info.st_nlink == 0
        file.noteSize(info, at: now)
        let replaced =
            !file.fingerprint.isEmpty && !Self.matches(file.fingerprint, descriptor: file.descriptor, size: file.size)
        guard replaced || file.size < file.offset else { return }
        logger.notice("\(file.path) was truncated or replaced; reading it again from the start")
        if file.offset > 0 && !file.fingerprint.isEmpty {
            // Keep where the old content was read to, under its fingerprint: a copy of it (copytruncate)
            // continues from there, even after a restart.
            let retired = Checkpoint(
                identity: "\(identity)@\(file.fingerprint)", source: source.name, path: file.path,
                fingerprint: file.fingerprint, offset: file.offset)
            _ = try await store.commit([], progress: IngestProgress(source: source.name, checkpoint: retired))
            checkpoints[retired.identity] = retired
        }
        if file.offset > 0 {
            // The file's own checkpoint starts over too, so that its first batch continues from it.
            let start = Checkpoint(identity: identity, source: source.name, path: file.path, fingerprint: "", offset: 0)
            var progress = IngestProgress(source: source.name, checkpoint: start)
            progress.continuesFrom = file.offset
            _ = try await store.commit([], progress: progress)
            checkpoints[identity] = start
        }
        file.offset = 0
        file.fingerprint = ""
        file.tailIsPartial = false
    }

    // MARK: - Reading

    /// Reads one batch of a file and hands it to the store; the previous batch's commit is
    /// awaited only after this one is read. Returns the lines consumed.
    func step(_ identity: String, onBatch: @escaping @Sendable (Double) async -> Void) async throws -> Int {
        guard var file = files[identity], file.state == .reading else { return 0 }
        let start = file.readOffset
        guard start < file.size else {
            file.tailIsPartial = false
            file.caughtUpAt = clock()
            files[identity] = file
            return 0
        }
        // Truncated since `refresh`: the next poll sees it and starts over.
        let known = file.uncommitted?.fingerprint ?? file.fingerprint
        if !known.isEmpty && !Self.matches(known, descriptor: file.descriptor, size: file.size) { return 0 }
        let before = Self.fingerprint(descriptor: file.descriptor, size: file.size)
        let batch = try readBatch(file, from: start)
        guard batch.advanced > 0 else {
            file.tailIsPartial = true
            file.caughtUpAt = clock()
            files[identity] = file
            return 0
        }
        try await settle(leaving: Self.batchesInFlight - 1)
        return launch(batch, identity, from: start, readFrom: before, onBatch: onBatch) ? batch.lines : 0
    }

    /// Starts committing a batch read from `start` of a file whose first bytes were `before`. A
    /// file truncated and rewritten while the batch was read gave bytes of its new content: such
    /// a batch is dropped (false), and the next poll reads the file again from its start.
    func launch(
        _ batch: Batch, _ identity: String, from start: Int64, readFrom before: String,
        onBatch: @escaping @Sendable (Double) async -> Void
    ) -> Bool {
        guard var file = files[identity] else { return false }
        let offset = start + batch.advanced
        let fingerprint = Self.fingerprint(descriptor: file.descriptor, size: max(file.size, offset))
        // Checked after the new fingerprint is taken, so that it too is of the content read.
        guard Self.matches(before, descriptor: file.descriptor, size: file.size) else {
            logger.notice("\(file.path) changed while it was read; reading it again")
            return false
        }
        var progress = batch.progress
        let checkpoint = Checkpoint(
            identity: file.identity, source: source.name, path: file.path, fingerprint: fingerprint, offset: offset)
        progress.checkpoint = checkpoint
        progress.continuesFrom = start
        let (store, items, latest) = (self.store, batch.items, batch.latestEventTime)
        let previous = inFlight.last?.commit
        // The event-time scoring pass this batch may trigger runs here too, while the next batch
        // is read: it sees exactly the batches committed so far, as the next waits for it.
        let commit = Task {
            if let previous { _ = try await previous.value }
            let outcome = try await store.commit(items, progress: progress)
            if latest > 0 { await onBatch(latest) }
            return outcome
        }
        inFlight.append(
            InFlight(
                identity: identity, commit: commit, checkpoint: checkpoint, latestEventTime: batch.latestEventTime))
        file.uncommitted = (offset, fingerprint)
        // Lines came after the bytes once seen unterminated: what the tail holds now is for the
        // next read to find out.
        file.tailIsPartial = false
        files[identity] = file
        return true
    }

    /// Waits for the oldest batches in flight until at most `leaving` remain, and moves their
    /// files' offsets: only a committed batch does.
    func settle(leaving: Int = 0) async throws {
        while inFlight.count > leaving {
            let batch = inFlight.removeFirst()
            do {
                _ = try await batch.commit.value
            } catch {
                // Those behind it fail without committing (each waits for the one before).
                for later in inFlight { _ = try? await later.commit.value }
                inFlight = []
                // Whatever was read ahead is read again from the committed offsets.
                for identity in files.keys { files[identity]!.uncommitted = nil }
                throw error
            }
            checkpoints[batch.identity] = batch.checkpoint
            guard var file = files[batch.identity] else { continue }
            file.offset = batch.checkpoint.offset
            file.fingerprint = batch.checkpoint.fingerprint
            if file.uncommitted?.offset == file.offset { file.uncommitted = nil }
            if batch.latestEventTime > 0 { file.lastEventTime = max(file.lastEventTime, batch.latestEventTime) }
            files[batch.identity] = file
        }
    }

    /// Forgets every file and checkpoint, so that the next poll starts from the stored checkpoints
    /// as after a restart: what this process knew is behind what another committed. A file that
    /// no path leads to any more (deleted, or renamed out of the glob) could not be found again:
    /// its descriptor is kept, and it too goes on from its stored checkpoint.
    func startOver() {
        var unreachable: [String: TailedFile] = [:]
        for (identity, file) in files {
            if file.deleted || !file.seenInGlob {
                var file = file
                file.uncommitted = nil
                unreachable[identity] = file
            } else {
                close(file.descriptor)
            }
        }
        files = unreachable
        checkpoints = [:]
        untrackedSince = [:]
        firstScan = true
    }

    /// Commits a batch at once (the last line of a rotated file, outside the rounds).
    func commit(_ batch: Batch, to file: inout TailedFile, readFrom before: String) async throws -> Bool {
        files[file.identity] = file
        guard launch(batch, file.identity, from: file.offset, readFrom: before, onBatch: { _ in }) else { return false }
        try await settle()
        file = files[file.identity]!
        return true
    }

    /// After the rounds: reads the unterminated last line of files that were rotated away and went
    /// quiet, lets go of files that left the glob and are read, and forgets stale checkpoints.
    func finish(now: Double) async throws -> Int {
        var consumed = 0
        for identity in files.keys.sorted() {
            guard var file = files[identity], file.state == .reading, file.tailIsPartial, file.offset < file.size
            else { continue }
            let rotated = !file.seenInGlob || file.deleted || file.path != file.firstPath
            guard filesAreComplete || (rotated && now - file.lastChange >= settleSeconds) else { continue }
            var batch = Batch(progress: IngestProgress(source: source.name))
            let before = Self.fingerprint(descriptor: file.descriptor, size: file.size)
            let length = file.size - file.offset
            // Only bytes without a newline are a last line; complete lines are the rounds' to read.
            if length > Int64(parser.maximumLineBytes) {
                guard skipLongLine(file, from: file.offset) == nil else { continue }
                batch.lines = 1
                batch.progress.bad[.tooLong, default: 0] += 1
                record(
                    .tooLong, "line of \(length) bytes exceeds \(parser.maximumLineBytes)", at: file.offset,
                    path: file.path, in: &batch)
            } else {
                var bytes = [UInt8](repeating: 0, count: Int(length))
                let got = bytes.withUnsafeMutableBytes {
                    pread(file.descriptor, $0.baseAddress, Int(length), off_t(file.offset))
                }
                guard got == Int(length), !bytes.contains(0x0A) else { continue }
                bytes.withUnsafeBufferPointer { handle($0, at: file.offset, path: file.path, into: &batch) }
            }
            batch.advanced = length
            logger.notice("\(file.path) was rotated with an unterminated last line; reading it as a line")
            guard try await commit(batch, to: &file, readFrom: before) else { continue }
            file.tailIsPartial = false
            files[identity] = file
            consumed += batch.lines
        }
        for (identity, file) in files where !file.seenInGlob && (file.state == .pending || file.offset >= file.size) {
            close(file.descriptor)
            files[identity] = nil
        }
        var stale: [String] = []
        // Only this source's: another source's files are not in this one's glob.
        for (identity, checkpoint) in checkpoints where checkpoint.source == source.name {
            if files[identity] != nil {
                untrackedSince[identity] = nil
                continue
            }
            let since = untrackedSince[identity] ?? now
            untrackedSince[identity] = since
            if now - since >= checkpointRetention { stale.append(identity) }
        }
        if !stale.isEmpty {
            try await store.forgetCheckpoints(stale)
            for identity in stale {
                checkpoints[identity] = nil
                untrackedSince[identity] = nil
            }
        }
        return consumed
    }

    struct Batch {
        var items: [(RequestRecord, RequestFeatures)] = []
        var progress: IngestProgress
        var lines = 0
        /// Bytes consumed: whole lines only.
        var advanced: Int64 = 0
        var latestEventTime: Double = 0
    }

    static let chunkBytes = 1 << 20
    /// The bytes of the batch being read, kept from batch to batch: allocating and zeroing a
    /// new megabyte per batch cost more than reading it.
    var readBuffer: [UInt8] = []
    /// A batch stops growing at this many bytes, whatever its line count, to bound memory.
    static let batchBytes = 16 << 20

    /// Reads up to `batchLines` complete lines from `start` and analyses them all at once, on
    /// every core. A line over the limit is skipped as a batch of its own.
    func readBatch(_ file: TailedFile, from start: Int64) throws -> Batch {
        var batch = Batch(progress: IngestProgress(source: source.name))
        var length = 0
        var lines: [Range<Int>] = []
        var lineStart = 0
        while lines.count < batchLines && (lines.isEmpty || length < Self.batchBytes) {
            let remaining = file.size - start - Int64(length)
            guard remaining > 0 else { break }
            let wanted = Int(min(Int64(Self.chunkBytes), remaining))
            if readBuffer.count < length + wanted {
                readBuffer += [UInt8](repeating: 0, count: max(length + wanted - readBuffer.count, readBuffer.count))
            }
            let got = readBuffer.withUnsafeMutableBytes {
                pread(file.descriptor, $0.baseAddress! + length, wanted, off_t(start + Int64(length)))
            }
            guard got > 0 else { break }
            let end = length
            length += got
            readBuffer.withUnsafeBufferPointer { all in
                let chunk = UnsafeBufferPointer(rebasing: all[..<length])
                var from = max(end, lineStart)
                while lines.count < batchLines, let newline = Self.indexOfNewline(chunk, from: from, to: chunk.count) {
                    lines.append(lineStart..<newline)
                    lineStart = newline + 1
                    from = lineStart
                }
            }
            // A line over the limit: the lines before it make this batch, the line itself the next.
            if length - lineStart > parser.maximumLineBytes { break }
        }
        if lines.isEmpty && length > parser.maximumLineBytes {
            guard let end = skipLongLine(file, from: start) else { return batch }
            batch.lines = 1
            batch.progress.bad[.tooLong, default: 0] += 1
            record(
                .tooLong, "line of \(end - start) bytes exceeds \(parser.maximumLineBytes)", at: start,
                path: file.path, in: &batch)
            batch.advanced = end + 1 - start
            return batch
        }
        let parts = readBuffer.withUnsafeBufferPointer { AnalyzedLine.analyze(lines, of: $0, parser: parser) }
        batch.items.reserveCapacity(lines.count)
        var line = lines.makeIterator()
        for part in parts {
            for analyzed in part {
                handle(analyzed, at: start + Int64(line.next()!.lowerBound), path: file.path, into: &batch)
            }
        }
        batch.advanced = Int64(lineStart)
        return batch
    }

    /// The offset of the newline ending a line that starts at `from`, reading on past the chunk.
    func skipLongLine(_ file: TailedFile, from: Int64) -> Int64? {
        var position = from
        var buffer = [UInt8](repeating: 0, count: Self.chunkBytes)
        while position < file.size {
            let got = buffer.withUnsafeMutableBytes {
                pread(file.descriptor, $0.baseAddress, $0.count, off_t(position))
            }
            guard got > 0 else { return nil }
            if let i = buffer.withUnsafeBufferPointer({ Self.indexOfNewline($0, from: 0, to: got) }) {
                return position + Int64(i)
            }
            position += Int64(got)
        }
        return nil
    }

    func handle(_ line: UnsafeBufferPointer<UInt8>, at offset: Int64, path: String, into batch: inout Batch) {
        handle(AnalyzedLine(line, parser: parser), at: offset, path: path, into: &batch)
    }

    func handle(_ analyzed: AnalyzedLine, at offset: Int64, path: String, into batch: inout Batch) {
        batch.lines += 1
        switch analyzed {
        case .record(let record, let features):
            batch.items.append((record, features))
            batch.latestEventTime = max(batch.latestEventTime, record.time)
        case .skipped:
            batch.progress.skipped += 1
        case .bad(let reason, let detail):
            batch.progress.bad[reason, default: 0] += 1
            record(reason, detail, at: offset, path: path, in: &batch)
        }
    }

    func record(_ reason: BadLineReason, _ detail: String, at offset: Int64, path: String, in batch: inout Batch) {
        // Only the reason and the place are kept, never the line: it may hold a key or a prompt.
        guard batch.progress.samples.count < SQLiteStore.badSampleLimit else { return }
        batch.progress.samples.append(
            BadLineSample(
                source: source.name, reason: reason.rawValue, detail: detail, location: "\(path):\(offset)", at: Date())
        )
    }

    static func indexOfNewline(_ chunk: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Int? {
        guard from < to, let base = chunk.baseAddress else { return nil }
        guard let found = memchr(base + from, 0x0A, to - from) else { return nil }
        return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }

    /// Where the last complete line of a file ends: `start_at: end` starts there, not mid-line.
    static func lastLineEnd(descriptor: Int32, size: Int64) -> Int64 {
        let window = Int(min(size, 1 << 16))
        var buffer = [UInt8](repeating: 0, count: window)
        let got = buffer.withUnsafeMutableBytes {
            pread(descriptor, $0.baseAddress, window, off_t(size - Int64(window)))
        }
        guard got == window, let last = buffer.lastIndex(of: 0x0A) else { return size }
        return size - Int64(window) + Int64(last) + 1
    }

    // MARK: - Fingerprints

    /// `length:hash` of the first bytes (up to 256) of the file.
    static func fingerprint(descriptor: Int32, size: Int64) -> String {
        let length = Int(min(size, Int64(fingerprintLength)))
        return "\(length):\(prefixHash(descriptor: descriptor, length: length) ?? 0)"
    }

    static func fingerprintLengthOf(_ fingerprint: String) -> Int {
        Int(fingerprint.prefix { $0 != ":" }) ?? 0
    }

    static func matches(_ fingerprint: String, descriptor: Int32, size: Int64) -> Bool {
        let parts = fingerprint.split(separator: ":")
        guard parts.count == 2, let length = Int(parts[0]) else { return false }
        guard size >= Int64(length) else { return false }
        return prefixHash(descriptor: descriptor, length: length).map(String.init) == String(parts[1])
    }

    static func prefixHash(descriptor: Int32, length: Int) -> UInt64? {
        var buffer = [UInt8](repeating: 0, count: length)
        let got = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, length, 0) }
        guard got == length else { return nil }
        return TextSketch.fnv1a(buffer)
    }

    static func head(descriptor: Int32, size: Int64) -> [UInt8] {
        let length = Int(min(size, Int64(fingerprintLength)))
        var buffer = [UInt8](repeating: 0, count: length)
        let got = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, length, 0) }
        return got == length ? buffer : []
    }

    /// What kind of binary file starts with these bytes, or nil for text. Compressed rotations
    /// (`app.jsonl.2.gz`) are what an `app.jsonl*` glob usually catches.
    static func binaryKind(_ head: [UInt8]) -> String? {
        let magic: [(String, [UInt8])] = [
            ("gzip", [0x1F, 0x8B]), ("bzip2", Array("BZh".utf8)), ("xz", [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]),
            ("zstd", [0x28, 0xB5, 0x2F, 0xFD]), ("zip", [0x50, 0x4B, 0x03, 0x04]),
            ("7z", [0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C]), ("ELF", [0x7F, 0x45, 0x4C, 0x46]),
            ("SQLite", Array("SQLite format 3".utf8)), ("SQLite WAL", [0x37, 0x7F, 0x06, 0x82]),
            ("SQLite WAL", [0x37, 0x7F, 0x06, 0x83]),
        ]
        for (kind, bytes) in magic where head.starts(with: bytes) { return kind }
        // Mostly control bytes, or not UTF-8, and not a JSON line in sight: binary. A log whose start was zeroed
        // by a crash still has `{"` after the zeros, and is read (the zeros are one bad line).
        guard head.count >= 32 else { return nil }
        let control = head.filter { ($0 < 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D) || $0 == 0x7F }.count
        let hasJSON = zip(head, head.dropFirst()).contains { $0 == UInt8(ascii: "{") && $1 == UInt8(ascii: "\"") }
        // The head may end inside a UTF-8 sequence: leave its last incomplete bytes out of the check.
        var text = head[...]
        while let last = text.last, last >= 0x80, head.count - text.count < 3 { text = text.dropLast() }
        let utf8 = String(validating: text, as: UTF8.self) != nil
        return (control * 10 > head.count * 3 || !utf8) && !hasJSON ? "binary" : nil
    }

    // MARK: - Status

    func publish() {
        let now = clock()
        var statuses: [SourceStatus] = []
        var directories = Set<String>()
        if let slash = source.path.lastIndex(of: "/") {
            let directory = String(source.path[..<slash])
            for expanded in Self.expand(directory.isEmpty ? "/" : directory) { directories.insert(expanded) }
        } else {
            directories.insert(".")
        }
        for file in files.values.sorted(by: { $0.path < $1.path }) {
            // A copy waiting for its original is not a backlog.
            let lag = file.state == .pending ? 0 : max(0, file.size - file.offset)
            let behind = lag > 0 && !file.tailIsPartial
            statuses.append(
                SourceStatus(
                    name: source.name, path: file.path, format: source.format.rawValue, offset: file.offset,
                    size: file.size, lagBytes: lag, lagSeconds: behind ? max(0, now - file.caughtUpAt) : 0, lines: 0,
                    badLines: 0, badByReason: [:]))
            // A symlink's target may live elsewhere: its changes are seen in its own directory.
            if let real = realpath(file.path, nil) {
                directories.insert((String(cString: real) as NSString).deletingLastPathComponent)
                free(real)
            }
        }
        published.withLock { $0 = statuses }
        watched.withLock { $0 = directories }
    }

    /// The files a path or glob names now, sorted.
    public static func expand(_ pattern: String) -> [String] {
        guard pattern.contains(where: { "*?[".contains($0) }) else { return [pattern] }
        var result = glob_t()
        defer { globfree(&result) }
        guard glob(pattern, 0, nil, &result) == 0 else { return [] }
        var paths: [String] = []
        for i in 0..<Int(result.gl_pathc) {
            if let p = result.gl_pathv[i] { paths.append(String(cString: p)) }
        }
        return paths.sorted()
    }
}
