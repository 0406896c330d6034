import Dispatch
import Foundation
import SluiceCore
import Synchronization

/// What one line became, features included. Computing it touches nothing shared, so the lines
/// of a chunk are analysed on all cores and then added to their batch in file order: the
/// batch, and so everything stored, is the same as with one core.
enum AnalyzedLine: Sendable {
    case record(RequestRecord, RequestFeatures)
    case skipped
    case bad(BadLineReason, String)

    init(_ line: UnsafeBufferPointer<UInt8>, parser: LogParser) {
        var scratch = Scratch()
        self.init(line, parser: parser, scratch: &scratch)
    }

    /// What a thread reuses from line to line: the JSON tape's room and the system prompts it has digested.
    struct Scratch {
        var tape = JSONTape()
        var memo = SystemPromptMemo()
    }

    init(_ line: UnsafeBufferPointer<UInt8>, parser: LogParser, scratch: inout Scratch) {
        switch parser.parse(line: line, tape: &scratch.tape) {
        case .record(var record):
            let features = RequestFeatures(record, memo: &scratch.memo)
            // The text is reduced to features: the batch need not hold it until it is committed.
            record.messages = []
            self = .record(record, features)
        case .skipped: self = .skipped
        case .bad(let reason, let detail): self = .bad(reason, detail)
        }
    }

    /// Analyses `lines`, ranges of `chunk`, on the machine's cores. The results are in parts,
    /// whose lines in turn are those of `lines` in order: joining them would copy every record.
    static func analyze(_ lines: [Range<Int>], of chunk: UnsafeBufferPointer<UInt8>, parser: LogParser)
        -> [[AnalyzedLine]]
    {
        // Several parts a core, so that a part of long lines does not leave a core idle at the end.
        let parts = min(Cores.available * 4, lines.count / minimumPartLines)
        guard parts > 1 else {
            var scratch = Scratch()
            return [
                lines.map {
                    AnalyzedLine(UnsafeBufferPointer(rebasing: chunk[$0]), parser: parser, scratch: &scratch)
                }
            ]
        }
        let bytes = SharedBytes(buffer: chunk)
        let results = Mutex<[[AnalyzedLine]]>(Array(repeating: [], count: parts))
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            let mine = lines[(lines.count * part / parts)..<(lines.count * (part + 1) / parts)]
            var scratch = Scratch()
            let analyzed = mine.map {
                AnalyzedLine(UnsafeBufferPointer(rebasing: bytes.buffer[$0]), parser: parser, scratch: &scratch)
            }
            results.withLock { $0[part] = analyzed }
        }
        return results.withLock { parts in
            defer { parts = [] }
            return parts
        }
    }

    /// Fewer lines than this are not worth handing to another thread.
    static let minimumPartLines = 16
}

/// A chunk the parallel analysis reads. @unchecked: it is only read, and `concurrentPerform`
/// returns only when every reader is done.
private struct SharedBytes: @unchecked Sendable {
    let buffer: UnsafeBufferPointer<UInt8>
}
