import Foundation
import SluiceCore
import Testing

/// A seeded mutation fuzzer over the three parsers: real and synthetic lines, mutated byte-wise and
/// token-wise, for a bounded time. A crash (a trap) fails the run; every outcome must be a record
/// that satisfies the record invariants, a skip, or a bad line with a reason and a short detail.
@Suite struct ParserFuzzTests {
    struct SplitMix64: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static var seeds: [[UInt8]] {
        var lines: [String] = [
            line("acct", 1).trimmingCharacters(in: .newlines),
            #"{"ts": "2026-11-25T18:17:01.5+01:00", "account": 42, "api_key_id": "k", "status": 429, "request": {"model": "m", "messages": [{"role": "system", "content": "s"}, {"role": "user", "content": [{"type": "text", "text": "x"}]}], "n": 4, "temperature": 1.0, "logprobs": true, "top_logprobs": 20, "max_tokens": 4096, "stream": true, "tools": [{}]}, "usage": {"prompt_tokens": 12, "completion_tokens": 4096}, "finish_reason": "length"}"#,
            #"{"msec": "1795630636.123", "remote_addr": "203.0.113.9", "http_authorization": "Bearer sk-live-1", "http_user_agent": "curl", "status": "200", "request_method": "POST", "request_uri": "/v1/chat/completions?x=1", "body_bytes_sent": "5120", "request_body": "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"logprobs\":3}"}"#,
            #"{"standard_logging_object": {"id": "chatcmpl-9", "startTime": 1795630636.6, "status": "failure", "error_str": "RateLimitError 429", "metadata": {"user_api_key_hash": "h", "user_api_key_team_id": null}, "end_user": "u", "model_parameters": {"n": 2, "max_completion_tokens": 10}, "messages": "plain prompt", "response": {"choices": [{"finish_reason": "stop"}]}}}"#,
        ]
        let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(
                "shared/data/sample_logs/litellm-1.82.6/custom_logger_standard_logging_payload.jsonl")
        if let text = try? String(contentsOf: sample, encoding: .utf8) {
            lines += text.split(separator: "\n").prefix(6).map(String.init)
        }
        return lines.map { Array($0.utf8) }
    }

    static let tokens: [String] = [
        "-1", "0", "1e309", "-1e309", "1e-400", "-0", "99999999999999999999999", "4.5", "null", "true", "\"\"", "\"x\"",
        "[]", "{}", "[null]", "{\"a\":1}", "\"1e30\"", "\"inf\"", "\"nan\"", "\"-5\"", "1e15", "2147483648",
        "9223372036854775808", "\"2026-02-30T99:99:99Z\"", "\"\\u0000\"", "\"\\ud800\"",
    ]

    static func mutate(_ seed: [UInt8], _ seeds: [[UInt8]], _ rng: inout SplitMix64) -> [UInt8] {
        var bytes = seed
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            guard !bytes.isEmpty else { break }
            let i = Int.random(in: 0..<bytes.count, using: &rng)
            switch Int.random(in: 0..<8, using: &rng) {
            case 0: bytes[i] ^= UInt8(1 << Int.random(in: 0..<8, using: &rng))
            case 1: bytes.insert(UInt8.random(in: 0...255, using: &rng), at: i)
            case 2: bytes.removeSubrange(i..<min(bytes.count, i + Int.random(in: 1...16, using: &rng)))
            case 3: bytes.removeSubrange(i...)
            case 4:
                let other = seeds.randomElement(using: &rng)!
                let j = Int.random(in: 0..<other.count, using: &rng)
                bytes = Array(bytes[..<i]) + Array(other[j...])
            case 5:
                // Replace the value after a colon by a hostile token.
                if let colon = bytes[i...].firstIndex(of: UInt8(ascii: ":")) {
                    var end = colon + 1
                    while end < bytes.count, bytes[end] == 0x20 { end += 1 }
                    var stop = end
                    while stop < bytes.count,
                        ![UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]")].contains(bytes[stop])
                    {
                        stop += 1
                    }
                    bytes.replaceSubrange(end..<stop, with: Array(tokens.randomElement(using: &rng)!.utf8))
                }
            case 6:
                let depth = Int.random(in: 1...200, using: &rng)
                bytes.insert(contentsOf: [UInt8](repeating: UInt8(ascii: "["), count: depth), at: i)
            default:
                let length = min(bytes.count - i, Int.random(in: 1...64, using: &rng))
                bytes.insert(contentsOf: bytes[i..<(i + length)], at: i)
            }
        }
        return bytes
    }

    static func check(_ outcome: ParseOutcome) -> String? {
        switch outcome {
        case .skipped: return nil
        case .bad(_, let detail):
            return detail.isEmpty || detail.utf8.count > 500 ? "bad detail \(detail.prefix(80))" : nil
        case .record(let r):
            if r.account.isEmpty { return "empty account" }
            if !(r.time.isFinite && r.time > 1e9 && r.time < 1e10) { return "time \(r.time)" }
            if !(0...50_000_000).contains(r.promptTokens) || r.completionTokens < 0 { return "tokens" }
            if !(100...599).contains(r.status) { return "status \(r.status)" }
            if r.n < 1 || r.topLogprobs < 0 || r.toolCount < 0 || (r.maxTokens ?? 0) < 0 { return "parameters" }
            if let t = r.temperature, !(t.isFinite && (0...10).contains(t)) { return "temperature \(t)" }
            if let key = r.apiKeyID, key.contains("sk-live") { return "raw key kept" }
            return nil
        }
    }

    @Test func parsersNeverCrashAndKeepTheirInvariants() throws {
        let seeds = Self.seeds
        let parsers = LogFormat.allCases.map {
            LogParser(format: $0, keyHasher: KeyHasher(secret: "fuzz"), maximumLineBytes: 64 << 10)
        }
        var rng = SplitMix64(
            state: UInt64(ProcessInfo.processInfo.environment["SLUICE_FUZZ_SEED"].flatMap(UInt64.init) ?? 20_261_125))
        let deadline = Date().addingTimeInterval(4)
        var runs = 0
        var records = 0
        while Date() < deadline && runs < 200_000 {
            let input = Self.mutate(seeds.randomElement(using: &rng)!, seeds, &rng)
            for parser in parsers {
                let outcome = input.withUnsafeBufferPointer { parser.parse(line: $0) }
                if case .record = outcome { records += 1 }
                if let problem = Self.check(outcome) {
                    Issue.record(
                        "\(parser.format): \(problem) for \(String(decoding: input.prefix(200), as: UTF8.self))")
                    return
                }
            }
            runs += 1
        }
        #expect(runs > 100)
        #expect(records > 0)  // the mutations keep some lines valid: the record invariants were exercised
    }
}
