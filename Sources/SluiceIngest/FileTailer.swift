import Foundation
import Logging
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
/// descriptor is kept, so a rotated file is drained even when the glob no longer matches its
/// new name. A fingerprint of the first bytes catches truncation and reused inodes.
public final class FileTailer: @unchecked Sendable {
    // @unchecked: all mutable state is touched only from `poll`, which one task calls at a time;
    // what other tasks read is published through `snapshot`.
    public let source: Configuration.Source
    let parser: LogParser
    let store: SQLiteStore
    let batchLines: Int
    let logger: Logger
    var files: [String: TailedFile] = [:]
    var checkpoints: [String: Checkpoint] = [:]
    var firstScan = true
    let published = Mutex<[SourceStatus]>([])

    static let fingerprintLength = 256

    struct TailedFile {
        var identity: String
        var path: String
        var descriptor: Int32
        var offset: Int64
        var size: Int64 = 0
        var fingerprint: String
        var lastEventTime: Double = 0
        var seenInGlob = true
    }

    public init(source: Configuration.Source, keyHasher: KeyHasher, store: SQLiteStore, ingest: Configuration.Ingest, logger: Logger) {
        self.source = source
        self.parser = LogParser(
            format: source.format, accountPaths: source.account, keyHasher: keyHasher, maximumLineBytes: ingest.maxLineBytes)
        self.store = store
        self.batchLines = ingest.batchLines
        self.logger = logger
    }

    deinit {
        for file in files.values { close(file.descriptor) }
    }

    /// Where each file of this source stands, for `/v1/status` and metrics.
    public var snapshot: [SourceStatus] { published.withLock { $0 } }

    /// Reads everything new once. Returns the number of lines consumed and the newest event time.
    @discardableResult
    public func poll(onBatch: (Double) async -> Void = { _ in }) async throws -> Int {
        if firstScan {
            for checkpoint in try await store.checkpoints() where checkpoint.source == source.name {
                checkpoints[checkpoint.identity] = checkpoint
            }
        }
        let paths = Self.expand(source.path)
        for key in files.keys { files[key]!.seenInGlob = false }
        for path in paths { discover(path) }
        firstScan = false
        var consumed = 0
        // Oldest first, so that a rotated file is finished before its successor.
        for identity in files.keys.sorted(by: { files[$0]!.path > files[$1]!.path }) {
            consumed += try await drain(identity, onBatch: onBatch)
        }
        // A file that left the glob and is fully read is let go; its checkpoint stays.
        for (identity, file) in files where !file.seenInGlob && file.offset >= file.size {
            close(file.descriptor)
            files[identity] = nil
        }
        publish()
        return consumed
    }

    func discover(_ path: String) {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return }
        let identity = "\(info.st_dev):\(info.st_ino)"
        if files[identity] != nil {
            files[identity]!.path = path
            files[identity]!.seenInGlob = true
            return
        }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            logger.warning("cannot open \(path): \(String(cString: strerror(errno)))")
            return
        }
        var offset: Int64 = 0
        var fingerprint = ""
        if let checkpoint = checkpoints[identity] {
            offset = checkpoint.offset
            fingerprint = checkpoint.fingerprint
        } else if firstScan && source.startAt == .end {
            offset = Int64(info.st_size)
        }
        files[identity] = TailedFile(identity: identity, path: path, descriptor: descriptor, offset: offset, fingerprint: fingerprint)
    }

    /// Reads one file from its offset to its last complete line.
    func drain(_ identity: String, onBatch: (Double) async -> Void) async throws -> Int {
        guard var file = files[identity] else { return 0 }
        defer { files[identity] = file }
        var info = stat()
        guard fstat(file.descriptor, &info) == 0 else { return 0 }
        file.size = Int64(info.st_size)
        if !file.fingerprint.isEmpty, !Self.matches(file.fingerprint, descriptor: file.descriptor, size: file.size) {
            logger.notice("\(file.path) was truncated or replaced; reading it again from the start")
            file.offset = 0
            file.fingerprint = ""
        }
        if file.size < file.offset {
            logger.notice("\(file.path) shrank below its checkpoint; reading it again from the start")
            file.offset = 0
        }
        var consumed = 0
        while file.offset < file.size {
            let batch = try readBatch(&file)
            guard batch.advanced > 0 else { break }
            consumed += batch.lines
            var progress = batch.progress
            file.offset += batch.advanced
            file.fingerprint = Self.fingerprint(descriptor: file.descriptor, size: max(file.size, file.offset))
            progress.checkpoint = Checkpoint(
                identity: identity, source: source.name, path: file.path, fingerprint: file.fingerprint, offset: file.offset)
            _ = try await store.commit(batch.items, progress: progress)
            checkpoints[identity] = progress.checkpoint
            if batch.latestEventTime > 0 {
                file.lastEventTime = max(file.lastEventTime, batch.latestEventTime)
                await onBatch(batch.latestEventTime)
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

    func readBatch(_ file: inout TailedFile) throws -> Batch {
        var batch = Batch(progress: IngestProgress(source: source.name))
        var position = file.offset
        var buffer = [UInt8](repeating: 0, count: Self.chunkBytes)
        while batch.lines < batchLines && position < file.size {
            let wanted = Int(min(Int64(buffer.count), file.size - position))
            let got = buffer.withUnsafeMutableBytes { pread(file.descriptor, $0.baseAddress, wanted, off_t(position)) }
            guard got > 0 else { break }
            var consumedInChunk = 0
            let complete = buffer.withUnsafeBufferPointer { chunk -> Bool in
                var start = 0
                while start < got, batch.lines < batchLines {
                    guard let newline = Self.indexOfNewline(chunk, from: start, to: got) else { break }
                    let line = UnsafeBufferPointer(rebasing: chunk[start..<newline])
                    handle(line, at: position + Int64(start), path: file.path, into: &batch)
                    start = newline + 1
                }
                consumedInChunk = start
                return start > 0
            }
            if !complete {
                // No newline in a whole chunk: a line over the limit, or a partial last line.
                if got == buffer.count && got > parser.maximumLineBytes {
                    guard let end = skipLongLine(file, from: position) else { break }
                    batch.lines += 1
                    batch.progress.bad[.tooLong, default: 0] += 1
                    record(.tooLong, "line of \(end - position) bytes exceeds \(parser.maximumLineBytes)", at: position, path: file.path, in: &batch)
                    batch.advanced += end + 1 - position
                    position = end + 1
                    continue
                }
                if got == buffer.count {
                    buffer = [UInt8](repeating: 0, count: buffer.count * 2)
                    continue
                }
                break
            }
            position += Int64(consumedInChunk)
            batch.advanced += Int64(consumedInChunk)
        }
        return batch
    }

    /// The offset of the newline ending a line that starts at `from`, reading on past the chunk.
    func skipLongLine(_ file: TailedFile, from: Int64) -> Int64? {
        var position = from
        var buffer = [UInt8](repeating: 0, count: Self.chunkBytes)
        while position < file.size {
            let got = buffer.withUnsafeMutableBytes { pread(file.descriptor, $0.baseAddress, $0.count, off_t(position)) }
            guard got > 0 else { return nil }
            if let i = buffer.withUnsafeBufferPointer({ Self.indexOfNewline($0, from: 0, to: got) }) {
                return position + Int64(i)
            }
            position += Int64(got)
        }
        return nil
    }

    func handle(_ line: UnsafeBufferPointer<UInt8>, at offset: Int64, path: String, into batch: inout Batch) {
        batch.lines += 1
        switch parser.parse(line: line) {
        case .record(let record):
            batch.items.append((record, RequestFeatures(record)))
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
            BadLineSample(source: source.name, reason: reason.rawValue, detail: detail, location: "\(path):\(offset)", at: Date()))
    }

    static func indexOfNewline(_ chunk: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Int? {
        guard from < to, let base = chunk.baseAddress else { return nil }
        guard let found = memchr(base + from, 0x0A, to - from) else { return nil }
        return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }

    // MARK: - Fingerprints

    /// `length:hash` of the first bytes (up to 256) of the file.
    static func fingerprint(descriptor: Int32, size: Int64) -> String {
        let length = Int(min(size, Int64(fingerprintLength)))
        return "\(length):\(prefixHash(descriptor: descriptor, length: length) ?? 0)"
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

    // MARK: - Status

    func publish() {
        let now = Date().timeIntervalSince1970
        let statuses = files.values.sorted { $0.path < $1.path }.map { file in
            let lag = max(0, file.size - file.offset)
            return SourceStatus(
                name: source.name, path: file.path, format: source.format.rawValue, offset: file.offset, size: file.size,
                lagBytes: lag, lagSeconds: lag > 0 && file.lastEventTime > 0 ? max(0, now - file.lastEventTime) : 0,
                lines: 0, badLines: 0, badByReason: [:])
        }
        published.withLock { $0 = statuses }
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
