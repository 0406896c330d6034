import Foundation
import Testing

@testable import SluiceCore

/// The ingest hot path computes its results with fused, table-driven loops (`TextDigest`, the
/// lexicon's DFA, number conversion, byte-level IPv4 networks). These tests hold them to
/// the plain definitions they replaced, kept here as the specification, on real and odd inputs.
@Suite struct FastPathEquivalenceTests {
    // MARK: - The definitions

    /// The SimHash as first written: 64 scalar votes per word and per word pair.
    static func referenceSimHash(_ text: String) -> UInt64 {
        var weights = [Int](repeating: 0, count: 64)
        var previous: UInt64 = 0
        var any = false
        func add(_ h: UInt64) { for i in 0..<64 { weights[i] += (h >> UInt64(i)) & 1 == 1 ? 1 : -1 } }
        TextSketch.forEachWord(text) { word in
            add(word)
            if any { add(TextSketch.mix(previous &* 31 ^ word)) }
            previous = word
            any = true
        }
        guard any else { return 0 }
        var result: UInt64 = 0
        for i in 0..<64 where weights[i] > 0 { result |= 1 << UInt64(i) }
        return result
    }

    static func referenceWordHash(_ text: String) -> UInt64 {
        var hash: UInt64 = 0x7072_6f6d
        TextSketch.forEachWord(text) { hash = TextSketch.mix(hash ^ $0) }
        return hash
    }

    static func referenceTemplateHash(_ text: String) -> UInt64 {
        // The general path (any frame size) still uses `forEachWord`; 6 + 1 words of suffix
        // would be a different frame, so take the definition directly.
        var prefix: [UInt64] = []
        var ring = [UInt64](repeating: 0, count: 4)
        var count = 0
        TextSketch.forEachWord(text, maskNumbers: true) { word in
            if prefix.count < 6 { prefix.append(word) }
            ring[count % 4] = word
            count += 1
        }
        var hash: UInt64 = 0x7465_6d70
        for word in prefix { hash = TextSketch.mix(hash ^ word) }
        if count > 10 { for i in 0..<4 { hash = TextSketch.mix(hash ^ ring[(count + i) % 4]) } }
        return hash
    }

    /// Every occurrence of every phrase, overlapping ones included, by plain search.
    static func referenceHits(_ text: String, phrases: [(String, Lexicon.Cue)]) -> CueHits {
        let folded = text.utf8.map(Lexicon.fold)
        var hits = CueHits()
        for (phrase, cue) in phrases {
            let needle = phrase.utf8.map(Lexicon.fold)
            guard !needle.isEmpty, needle.count <= folded.count else { continue }
            for start in 0...(folded.count - needle.count)
            where folded[start..<(start + needle.count)].elementsEqual(needle) {
                switch cue {
                case .reasoning: hits.reasoning += 1
                case .category(let c): hits.categories[c.rawValue] += 1
                }
            }
        }
        return hits
    }

    static var texts: [String] {
        var texts = [
            "", "a", "42", "Hello, World!", "Think STEP BY STEP: solve x^2 = 4, then show your work.",
            "请一步一步地推理，然后计算方程。", "Реши шаг за шагом: уравнение", "ステップバイステップで考えて",
            "emoji 😀 between words 😀😀 and café naïve", "Classify: review 12 of 345 — positive or negative?",
            "```python\ndef f(x):\n    return x\n```",
            "which response is better, [[A]] or [[B]]? Rate the answers on a scale of 1-10",
            String(repeating: "word ", count: 700), String(repeating: "x", count: 5000),
            "trailing continuation \u{00E9}", "tab\tseparated\tvalues\nnew line",
        ]
        // Real prompts, where the shared data is there.
        let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/data/sample_logs")
        if let files = FileManager.default.enumerator(atPath: samples.path) {
            for case let file as String in files where file.hasSuffix(".jsonl") {
                guard let data = FileManager.default.contents(atPath: samples.appendingPathComponent(file).path) else {
                    continue
                }
                texts += String(decoding: data, as: UTF8.self).split(separator: "\n").prefix(40).map(String.init)
            }
        }
        return texts
    }

    // MARK: - Text fingerprints

    @Test func fusedTextPassMatchesTheDefinitions() {
        for text in Self.texts {
            var hits = CueHits()
            let digest = TextDigest(text, lexicon: .standard, hits: &hits)
            #expect(digest.simHash == Self.referenceSimHash(text), "simHash of \(text.prefix(60))")
            #expect(digest.wordHash == Self.referenceWordHash(text), "word hash of \(text.prefix(60))")
            #expect(digest.templateHash == Self.referenceTemplateHash(text), "template hash of \(text.prefix(60))")
            let expected = Self.referenceHits(text, phrases: Lexicon.standardPhrases)
            #expect(
                hits.reasoning == expected.reasoning && hits.categories == expected.categories,
                "cues of \(text.prefix(60))")
        }
    }

    @Test func simHashVotesOverflowNoCounter() {
        // More than 255 votes per bit: the byte-wide counters are emptied in time.
        let text = String(repeating: "same ", count: 2000) + String(repeating: "other words here ", count: 300)
        #expect(TextSketch.simHash(text) == Self.referenceSimHash(text))
    }

    @Test func lexiconAutomatonMatchesOverlappingAndCaseFoldedPhrases() {
        let phrases: [(String, Lexicon.Cue)] = [
            ("he", .reasoning), ("she", .category(.math)), ("his", .category(.code)), ("hers", .category(.judge)),
            ("HERS", .reasoning),
        ]
        let lexicon = Lexicon(phrases: phrases)
        for text in ["ushers", "SHE said hers is his", "hhhhershe", "", "h"] {
            var hits = CueHits()
            lexicon.scan(text, into: &hits)
            let expected = Self.referenceHits(text, phrases: phrases)
            #expect(hits.reasoning == expected.reasoning && hits.categories == expected.categories, "\(text)")
        }
    }

    @Test func ipv4FastPathAgreesWithTheGeneralOne() {
        func general(_ ip: String) -> String? {
            let address = ip.split(separator: ",").first.map { String($0).trimmingWhitespace() } ?? ip
            guard !address.isEmpty else { return nil }
            if address.contains(":") {
                return address.split(separator: ":", omittingEmptySubsequences: false).prefix(3).joined(separator: ":")
                    + "::/48"
            }
            let octets = address.split(separator: ".")
            guard octets.count == 4 else { return nil }
            return "\(octets[0]).\(octets[1]).\(octets[2]).0/24"
        }
        for ip in [
            "203.0.113.7", "1.2.3.4", "1..2.3", ".1.2.3", "1.2.3.", "1.2.3.4.5", "1.2.3", " 1.2.3.4",
            "1.2.3.4, 5.6.7.8",
            "2001:db8::1", "", "a.b.c.d", "10.0.0.255", "1.2.3.4 ",
        ] {
            #expect(RequestFeatures.network(of: ip) == general(ip), "\(ip)")
        }
    }

    @Test func decimalFastPathRoundsAsStrtodDoes() throws {
        var generator = SystemRandomNumberGenerator()
        var texts = [
            "0.0", "-0.0", "1793491201.478375", "0.2", "0.1", "1e22", "1e23", "123456789012345.6", "9.999999999999999",
            "1234567890123456", "0.000000000000000000001", "5e-324", "1.7976931348623157e308", "2.5E-3", "-7e+2",
            "0.30000000000000004", "100000000000000000000000", "1.0e-22", "4.35e-23", "9007199254740992.5",
            "900719925474099.3", "9007199254740993", "0.9007199254740993", "1793491201.478375",
        ]
        for _ in 0..<20000 {
            let digits = String(UInt64.random(in: 0...99_999_999_999_999_999, using: &generator))
            let point = Int.random(in: 0...digits.count, using: &generator)
            var text = String(digits.prefix(point)) + "." + String(digits.dropFirst(point))
            if text.hasPrefix(".") { text = "0" + text }
            if text.hasSuffix(".") { text += "0" }
            if Bool.random(using: &generator) { text += "e\(Int.random(in: -30...30, using: &generator))" }
            texts.append(Bool.random(using: &generator) ? "-" + text : text)
        }
        for text in texts {
            let expected = try #require(Double(text), "\(text)")
            let fast = Array(text.utf8).withUnsafeBufferPointer { JSONScanner.exactDecimal($0) }
            if let fast { #expect(fast.bitPattern == expected.bitPattern, "\(text)") }
            #expect(try JSONValue.parse(text) == .number(expected), "\(text)")
        }
    }

    @Test func aLiteLLMLineMapsEveryFieldItHolds() throws {
        let parser = LogParser(format: .litellm, keyHasher: KeyHasher(secret: "s"))
        let line =
            #"{"standard_logging_object":{"id":"r1","startTime":1793491201,"model":"m","metadata":{"user_api_key_team_id":"team","user_api_key_hash":"h","user_agent":"ua"},"messages":[{"role":"system","content":"be brief"},{"role":"user","content":[{"type":"text","text":"step by step"},{"type":"image_url","image_url":{"url":"data:..."}}]}],"model_parameters":{"temperature":0,"n":2,"tools":[{"type":"function"}]},"response":{"choices":[{"finish_reason":"length","message":{"content":"long answer"}}]},"prompt_tokens":5,"completion_tokens":7}}"#
        guard case .record(let record) = parser.parse(line: line) else {
            Issue.record("not a record")
            return
        }
        #expect(record.finishReason == "length" && record.toolCount == 1 && record.n == 2 && record.messages.count == 2)
    }
}
