/// The fingerprints Sluice takes of one text, from a single pass over its UTF-8 bytes: the
/// chained word hash, the SimHash, the template hash and the lexicon's cues.
///
/// This is the hot loop of ingestion. Its results are, bit for bit, those of the definitions in
/// `TextSketch` (words as `TextSketch.forEachWord` splits them; see `FastPathEquivalenceTests`):
/// the pass only computes them together, so that each byte is loaded once and the independent
/// dependency chains (the lexicon's automaton, the word hash) overlap in the CPU.
struct TextDigest {
    /// The words in order, chained from `wordSeed`: the exact fingerprint of a prompt.
    var wordHash: UInt64 = 0
    /// `TextSketch.simHash(text)`.
    var simHash: UInt64 = 0
    /// `TextSketch.templateHash(text)` with its default frame of 6 + 4 words.
    var templateHash: UInt64 = 0

    static let wordSeed: UInt64 = 0x7072_6f6d
    static let prefixWords = 6
    static let suffixWords = 4

    /// Digests `text`, adding the lexicon's cues (when a lexicon is given) to `hits`.
    init(_ text: String, lexicon: Lexicon?, hits: inout CueHits) {
        var text = text
        self = text.withUTF8 { TextDigest(bytes: $0, lexicon: lexicon, hits: &hits) }
    }

    init(bytes: UnsafeBufferPointer<UInt8>, lexicon: Lexicon?, hits: inout CueHits) {
        // Without a lexicon, an automaton of one state that matches nothing keeps the loop branch-free.
        // The tables live as long as the lexicon, which the caller holds for the call (or `empty`, forever).
        let automaton = lexicon?.automaton ?? Lexicon.Automaton.empty
        let transitions = automaton.transitions.elements
        let byteClass = automaton.byteClass.elements
        let classCount = automaton.classCount
        let wordBytes = TextSketch.wordBytes.elements
        let spread = TextSketch.bitSpread.elements
        // The per-byte state is kept in locals, not in `WordState`, and the tables are reached
        // without closures: either way the compiler kept it in memory, and each byte waited on
        // a store and a reload of the word hash.
        var words = WordState()
        var row = 0
        var word = TextSketch.fnvOffset
        var inWord = false
        var wordIsNumber = true
        var pendingScalar: UInt64 = 0
        var continuation = 0
        for byte in bytes {
            let next = transitions[row &+ Int(byteClass[Int(byte)])]
            let state = Int(next & ~Lexicon.Automaton.acceptingFlag)
            row = state &* classCount
            if next >= Lexicon.Automaton.acceptingFlag { automaton.count(state: state, into: &hits) }
            if byte < 0x80 {
                continuation = 0
                let folded = wordBytes[Int(byte)]
                if folded != 0 {
                    if folded > UInt8(ascii: "9") { wordIsNumber = false }
                    word = (word ^ UInt64(folded)) &* TextSketch.fnvPrime
                    inWord = true
                } else if inWord {
                    words.finish(word, isNumber: wordIsNumber, spread)
                    (word, inWord, wordIsNumber) = (TextSketch.fnvOffset, false, true)
                }
            } else if byte >= 0xC0 {
                if inWord {
                    words.finish(word, isNumber: wordIsNumber, spread)
                    (word, inWord, wordIsNumber) = (TextSketch.fnvOffset, false, true)
                }
                pendingScalar = UInt64(byte)
                continuation = byte >= 0xF0 ? 3 : byte >= 0xE0 ? 2 : 1
            } else if continuation > 0 {
                pendingScalar = pendingScalar << 8 | UInt64(byte)
                continuation -= 1
                if continuation == 0 {
                    let scalarWord = TextSketch.mix(pendingScalar ^ 0x5ca1a)
                    words.emit(scalarWord, masked: scalarWord, spread)
                }
            }
        }
        if inWord { words.finish(word, isNumber: wordIsNumber, spread) }
        wordHash = words.chain
        simHash = words.simHash
        templateHash = words.templateHash
    }

    /// The state of the word half of the pass, from word to word.
    struct WordState {
        var chain: UInt64 = TextDigest.wordSeed
        var previous: UInt64 = 0
        var count = 0
        var prefix: UInt64 = TextSketch.templateSeed
        // The last four (number-masked) words, oldest first.
        var last0: UInt64 = 0
        var last1: UInt64 = 0
        var last2: UInt64 = 0
        var last3: UInt64 = 0
        // SimHash votes: how many hashes had each bit set, as byte-wide counters (bit 8k + j of
        // the hashes is counted in byte j of `ones<k>`), emptied into `flushed` before they overflow.
        var ones0: UInt64 = 0
        var ones1: UInt64 = 0
        var ones2: UInt64 = 0
        var ones3: UInt64 = 0
        var ones4: UInt64 = 0
        var ones5: UInt64 = 0
        var ones6: UInt64 = 0
        var ones7: UInt64 = 0
        var votes = 0
        var pendingVotes = 0
        var flushed: [Int32] = []

        /// Ends a word of ASCII letters and digits, FNV-hashed as they came.
        @inline(__always)
        mutating func finish(_ word: UInt64, isNumber: Bool, _ spread: UnsafePointer<UInt64>) {
            let hashed = TextSketch.mix(word)
            emit(hashed, masked: isNumber ? TextSketch.maskedNumber : hashed, spread)
        }

        @inline(__always)
        mutating func emit(_ word: UInt64, masked: UInt64, _ spread: UnsafePointer<UInt64>) {
            chain = TextSketch.mix(chain ^ word)
            vote(word, spread)
            if count > 0 { vote(TextSketch.mix(previous &* 31 ^ word), spread) }
            previous = word
            if count < TextDigest.prefixWords { prefix = TextSketch.mix(prefix ^ masked) }
            (last0, last1, last2, last3) = (last1, last2, last3, masked)
            count += 1
        }

        /// Counts the set bits of `hash`: a table lookup and an add per byte of it.
        @inline(__always)
        mutating func vote(_ hash: UInt64, _ spread: UnsafePointer<UInt64>) {
            ones0 &+= spread[Int(truncatingIfNeeded: hash & 0xFF)]
            ones1 &+= spread[Int(truncatingIfNeeded: (hash >> 8) & 0xFF)]
            ones2 &+= spread[Int(truncatingIfNeeded: (hash >> 16) & 0xFF)]
            ones3 &+= spread[Int(truncatingIfNeeded: (hash >> 24) & 0xFF)]
            ones4 &+= spread[Int(truncatingIfNeeded: (hash >> 32) & 0xFF)]
            ones5 &+= spread[Int(truncatingIfNeeded: (hash >> 40) & 0xFF)]
            ones6 &+= spread[Int(truncatingIfNeeded: (hash >> 48) & 0xFF)]
            ones7 &+= spread[Int(truncatingIfNeeded: (hash >> 56) & 0xFF)]
            votes += 1
            pendingVotes += 1
            if pendingVotes == 255 { flush() }
        }

        mutating func flush() {
            if flushed.isEmpty { flushed = [Int32](repeating: 0, count: 64) }
            for (k, lanes) in [ones0, ones1, ones2, ones3, ones4, ones5, ones6, ones7].enumerated() {
                for j in 0..<8 { flushed[8 * k + j] += Int32(truncatingIfNeeded: (lanes >> UInt64(8 * j)) & 0xFF) }
            }
            (ones0, ones1, ones2, ones3, ones4, ones5, ones6, ones7) = (0, 0, 0, 0, 0, 0, 0, 0)
            pendingVotes = 0
        }

        var simHash: UInt64 {
            guard count > 0 else { return 0 }
            var copy = self
            copy.flush()
            var result: UInt64 = 0
            // A bit wins when more than half of the votes set it.
            for bit in 0..<64 where 2 * Int(copy.flushed[bit]) > votes { result |= 1 << UInt64(bit) }
            return result
        }

        var templateHash: UInt64 {
            var hash = prefix
            if count > TextDigest.prefixWords + TextDigest.suffixWords {
                for word in [last0, last1, last2, last3] { hash = TextSketch.mix(hash ^ word) }
            }
            return hash
        }
    }
}

extension TextSketch {
    static let fnvOffset: UInt64 = 0xcbf2_9ce4_8422_2325
    static let fnvPrime: UInt64 = 0x100_0000_01b3
    static let templateSeed: UInt64 = 0x7465_6d70
    /// What every all-digit word hashes to in a template.
    static let maskedNumber: UInt64 = 0x6e75_6d62_6572

    /// For each ASCII byte: the byte lower-cased if it is a letter or a digit, else 0.
    static let wordBytes = FixedTable<UInt8>(
        (0..<256).map { value in
            let byte = UInt8(value)
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"): return byte
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): return byte | 0x20
            default: return 0
            }
        })

    /// For each byte value: its bits spread one to a byte (bit j becomes byte j, 0 or 1).
    static let bitSpread = FixedTable<UInt64>(
        (0..<256).map { value in
            var spread: UInt64 = 0
            for j in 0..<8 where (value >> j) & 1 == 1 { spread |= 1 << UInt64(8 * j) }
            return spread
        })
}

/// A table that never changes after it is built, reached through a plain pointer: an array's
/// `withUnsafeBufferPointer` closures, nested in a hot loop, kept the loop's state in memory.
/// Index it only within bounds (its builders do: every index is a byte, or a state times the
/// class count plus a class).
final class FixedTable<Element>: @unchecked Sendable {
    let elements: UnsafeMutablePointer<Element>
    let count: Int

    init(_ values: [Element]) {
        count = values.count
        elements = .allocate(capacity: max(values.count, 1))
        _ = UnsafeMutableBufferPointer(start: elements, count: values.count).initialize(from: values)
    }

    deinit {
        elements.deinitialize(count: count)
        elements.deallocate()
    }
}
