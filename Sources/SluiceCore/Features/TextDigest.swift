/// Every fingerprint Sluice takes of one text, from a single pass over its UTF-8 bytes: the
/// whole-text hash, the chained word hash, the SimHash, the template hash and the lexicon's cues.
///
/// This is the hot loop of ingestion. Its results are, bit for bit, those of the definitions in
/// `TextSketch` (words as `TextSketch.forEachWord` splits them; see `TextSketchEquivalenceTests`):
/// the pass only computes them together, so that each byte is loaded once and the independent
/// dependency chains (FNV, the lexicon's automaton, the word hash) overlap in the CPU.
struct TextDigest {
    /// `TextSketch.hash(text)`.
    var hash: UInt64 = 0
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
        var words = WordState()
        var textHash: UInt64 = TextSketch.fnvOffset
        var state = 0
        var pendingScalar: UInt64 = 0
        var continuation = 0
        TextSketch.simHashSteps.withUnsafeBufferPointer { steps in
            TextSketch.wordBytes.withUnsafeBufferPointer { wordBytes in
                let automaton = lexicon?.automaton
                for byte in bytes {
                    if let automaton {
                        state = automaton.step(state, byte)
                        if automaton.accepting[state] != 0 { automaton.count(state, into: &hits) }
                    }
                    textHash = (textHash ^ UInt64(byte)) &* TextSketch.fnvPrime
                    if byte < 0x80 {
                        continuation = 0
                        let folded = wordBytes[Int(byte)]
                        if folded != 0 {
                            words.append(folded)
                        } else if words.inWord {
                            words.finish(steps)
                        }
                    } else if byte >= 0xC0 {
                        if words.inWord { words.finish(steps) }
                        pendingScalar = UInt64(byte)
                        continuation = byte >= 0xF0 ? 3 : byte >= 0xE0 ? 2 : 1
                    } else if continuation > 0 {
                        pendingScalar = pendingScalar << 8 | UInt64(byte)
                        continuation -= 1
                        if continuation == 0 {
                            let word = TextSketch.mix(pendingScalar ^ 0x5ca1a)
                            words.emit(word, masked: word, steps)
                        }
                    }
                }
                if words.inWord { words.finish(steps) }
            }
        }
        hash = TextSketch.mix(textHash)
        wordHash = words.chain
        simHash = words.simHash
        templateHash = words.templateHash
    }

    /// The state of the word half of the pass.
    struct WordState {
        var word: UInt64 = TextSketch.fnvOffset
        var inWord = false
        var wordIsNumber = true
        var chain: UInt64 = TextDigest.wordSeed
        var previous: UInt64 = 0
        var count = 0
        var prefix: UInt64 = TextSketch.templateSeed
        // The last four (number-masked) words, oldest first.
        var last0: UInt64 = 0
        var last1: UInt64 = 0
        var last2: UInt64 = 0
        var last3: UInt64 = 0
        // SimHash weights of bits 8k ..< 8k + 8 in lane order.
        var weight0 = SIMD8<Int32>()
        var weight1 = SIMD8<Int32>()
        var weight2 = SIMD8<Int32>()
        var weight3 = SIMD8<Int32>()
        var weight4 = SIMD8<Int32>()
        var weight5 = SIMD8<Int32>()
        var weight6 = SIMD8<Int32>()
        var weight7 = SIMD8<Int32>()

        /// Adds a folded ASCII letter or digit to the current word.
        @inline(__always)
        mutating func append(_ folded: UInt8) {
            if folded > UInt8(ascii: "9") { wordIsNumber = false }
            word = (word ^ UInt64(folded)) &* TextSketch.fnvPrime
            inWord = true
        }

        @inline(__always)
        mutating func finish(_ steps: UnsafeBufferPointer<SIMD8<Int32>>) {
            let hashed = TextSketch.mix(word)
            emit(hashed, masked: wordIsNumber ? TextSketch.maskedNumber : hashed, steps)
            word = TextSketch.fnvOffset
            inWord = false
            wordIsNumber = true
        }

        @inline(__always)
        mutating func emit(_ word: UInt64, masked: UInt64, _ steps: UnsafeBufferPointer<SIMD8<Int32>>) {
            chain = TextSketch.mix(chain ^ word)
            addToSimHash(word, steps)
            if count > 0 { addToSimHash(TextSketch.mix(previous &* 31 ^ word), steps) }
            previous = word
            if count < TextDigest.prefixWords { prefix = TextSketch.mix(prefix ^ masked) }
            (last0, last1, last2, last3) = (last1, last2, last3, masked)
            count += 1
        }

        /// +1 to the weight of every set bit of `hash`, -1 to the others: eight vector adds.
        @inline(__always)
        mutating func addToSimHash(_ hash: UInt64, _ steps: UnsafeBufferPointer<SIMD8<Int32>>) {
            weight0 &+= steps[Int(truncatingIfNeeded: hash & 0xFF)]
            weight1 &+= steps[Int(truncatingIfNeeded: (hash >> 8) & 0xFF)]
            weight2 &+= steps[Int(truncatingIfNeeded: (hash >> 16) & 0xFF)]
            weight3 &+= steps[Int(truncatingIfNeeded: (hash >> 24) & 0xFF)]
            weight4 &+= steps[Int(truncatingIfNeeded: (hash >> 32) & 0xFF)]
            weight5 &+= steps[Int(truncatingIfNeeded: (hash >> 40) & 0xFF)]
            weight6 &+= steps[Int(truncatingIfNeeded: (hash >> 48) & 0xFF)]
            weight7 &+= steps[Int(truncatingIfNeeded: (hash >> 56) & 0xFF)]
        }

        var simHash: UInt64 {
            guard count > 0 else { return 0 }
            var result: UInt64 = 0
            for (k, weights) in [weight0, weight1, weight2, weight3, weight4, weight5, weight6, weight7].enumerated() {
                for lane in 0..<8 where weights[lane] > 0 { result |= 1 << UInt64(8 * k + lane) }
            }
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
    static let wordBytes: [UInt8] = (0..<256).map { value in
        let byte = UInt8(value)
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"): return byte
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return byte | 0x20
        default: return 0
        }
    }

    /// For each byte value: +1 in lane j where bit j is set, -1 elsewhere.
    static let simHashSteps: [SIMD8<Int32>] = (0..<256).map { value in
        var step = SIMD8<Int32>()
        for lane in 0..<8 { step[lane] = (value >> lane) & 1 == 1 ? 1 : -1 }
        return step
    }
}
