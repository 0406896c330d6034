/// Cheap, stable text fingerprints computed over UTF-8 bytes, so that no prompt text is kept.
public enum TextSketch {
    /// 64-bit FNV-1a: stable across runs and platforms (Swift's `Hasher` is seeded per process).
    @inline(__always)
    public static func fnv1a(_ bytes: some Sequence<UInt8>, seed: UInt64 = 0xcbf2_9ce4_8422_2325) -> UInt64 {
        var hash = seed
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x100_0000_01b3
        }
        return hash
    }

    /// A final avalanche (SplitMix64's) so that nearby inputs spread over all 64 bits.
    @inline(__always)
    public static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9e37_79b9_7f4a_7c15
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    public static func hash(_ text: String) -> UInt64 {
        // Over the string's contiguous bytes: iterating `utf8` cost more than the hashing.
        var text = text
        return mix(text.withUTF8 { fnv1a($0) })
    }

    /// Calls `body` with the hash of every word: ASCII letters and digits lower-cased and run
    /// together, every other non-ASCII scalar a word of its own (CJK has no spaces).
    /// With `maskNumbers`, digit runs hash alike so that templates filled with numbers match.
    @inline(__always)
    static func forEachWord(_ text: String, maskNumbers: Bool = false, _ body: (UInt64) -> Void) {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        var inWord = false
        var wordIsNumber = true
        func finish() {
            if inWord { body(maskNumbers && wordIsNumber ? 0x6e75_6d62_6572 : mix(hash)) }
            hash = 0xcbf2_9ce4_8422_2325
            inWord = false
            wordIsNumber = true
        }
        var utf8 = text.utf8.makeIterator()
        var pendingScalar: UInt64 = 0
        var continuation = 0
        while let byte = utf8.next() {
            if byte < 0x80 {
                if continuation > 0 { continuation = 0 }
                var b = byte
                let isDigit = b >= 48 && b <= 57
                let isUpper = b >= 65 && b <= 90
                let isLower = b >= 97 && b <= 122
                if isDigit || isUpper || isLower {
                    if isUpper { b |= 0x20 }
                    if !isDigit { wordIsNumber = false }
                    hash ^= UInt64(b)
                    hash &*= 0x100_0000_01b3
                    inWord = true
                } else {
                    finish()
                }
            } else if byte >= 0xC0 {
                finish()
                pendingScalar = UInt64(byte)
                continuation = byte >= 0xF0 ? 3 : byte >= 0xE0 ? 2 : 1
            } else if continuation > 0 {
                pendingScalar = pendingScalar << 8 | UInt64(byte)
                continuation -= 1
                if continuation == 0 { body(mix(pendingScalar ^ 0x5ca1a)) }
            }
        }
        finish()
    }

    /// 64-bit SimHash over words and word pairs: near-duplicate texts differ in few bits.
    /// Each word and each pair of neighbouring words votes +1 for its set bits and -1 for the others.
    public static func simHash(_ text: String) -> UInt64 {
        var ignored = CueHits()
        return TextDigest(text, lexicon: nil, hits: &ignored).simHash
    }

    /// A hash of the text's fixed frame: its first and last words with numbers masked. Texts made
    /// from one template around different inputs share it; unrelated questions do not.
    public static func templateHash(_ text: String, prefixWords: Int = 6, suffixWords: Int = 4) -> UInt64 {
        if prefixWords == TextDigest.prefixWords && suffixWords == TextDigest.suffixWords {
            var ignored = CueHits()
            return TextDigest(text, lexicon: nil, hits: &ignored).templateHash
        }
        var prefix: [UInt64] = []
        prefix.reserveCapacity(prefixWords)
        var ring = [UInt64](repeating: 0, count: suffixWords)
        var count = 0
        forEachWord(text, maskNumbers: true) { word in
            if prefix.count < prefixWords { prefix.append(word) }
            ring[count % suffixWords] = word
            count += 1
        }
        var hash: UInt64 = 0x7465_6d70
        for word in prefix { hash = mix(hash ^ word) }
        if count > prefixWords + suffixWords {
            for i in 0..<suffixWords { hash = mix(hash ^ ring[(count + i) % suffixWords]) }
        }
        return hash
    }

    /// Bits in which two SimHashes differ.
    public static func distance(_ a: UInt64, _ b: UInt64) -> Int { (a ^ b).nonzeroBitCount }
}
