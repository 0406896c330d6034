import Foundation
import SluiceCore
import SluiceStore
import Testing

@testable import SluiceIngest

/// One kind of bad input between two good lines, tailed from a real file into a real store: it is
/// counted once under its reason, sampled without its text, and the line after it still goes in.
struct BadInput: CustomTestStringConvertible, Sendable {
    var name: String
    var format: LogFormat
    var bytes: [UInt8]
    /// nil: not bad (a record or a skipped line).
    var reason: String?
    var records = 2
    var skipped = 0
    var testDescription: String { name }

    static let ts = 1_795_630_000
    static func openai(_ body: String) -> [UInt8] { Array(body.utf8) }
    static let goodLiteLLM =
        #"{"id": "chatcmpl-1", "startTime": 1795630636.6, "metadata": {"user_api_key_team_id": "a"}, "messages": [{"role": "user", "content": "hi"}], "prompt_tokens": 3, "completion_tokens": 7}"#

    static let all: [BadInput] = [
        BadInput(
            name: "invalid JSON", format: .openai, bytes: openai(#"{"ts": 1795630000, account: "a"}"#),
            reason: "not_json"),
        BadInput(
            name: "truncated JSON", format: .openai, bytes: Array(line("a", 99).utf8.prefix(70)), reason: "not_json"),
        BadInput(name: "an array, not an object", format: .openai, bytes: openai("[1, 2, 3]"), reason: "not_object"),
        BadInput(name: "a bare string", format: .openai, bytes: openai(#""hello""#), reason: "not_object"),
        BadInput(
            name: "request of the wrong shape", format: .openai,
            bytes: openai(#"{"ts": 1795630000, "account": "a", "request": [1]}"#), reason: "wrong_type"),
        BadInput(
            name: "missing request", format: .openai, bytes: openai(#"{"ts": 1795630000, "account": "a"}"#),
            reason: "missing_field"),
        BadInput(
            name: "missing account", format: .openai,
            bytes: openai(#"{"ts": 1795630000, "request": {"messages": []}}"#), reason: "missing_account"),
        BadInput(
            name: "tokens as strings", format: .openai,
            bytes: openai(
                #"{"ts": 1795630000, "account": "a", "request": {"messages": []}, "usage": {"prompt_tokens": "3"}}"#),
            reason: "wrong_type"),
        BadInput(
            name: "null messages", format: .openai,
            bytes: openai(#"{"ts": 1795630000, "account": "a", "request": {"messages": null}}"#), reason: "wrong_type"),
        BadInput(
            name: "negative tokens", format: .openai,
            bytes: openai(
                #"{"ts": 1795630000, "account": "a", "request": {"messages": []}, "usage": {"completion_tokens": -5}}"#),
            reason: "out_of_range"),
        BadInput(
            name: "huge tokens", format: .openai,
            bytes: openai(
                #"{"ts": 1795630000, "account": "a", "request": {"messages": []}, "usage": {"completion_tokens": 1e300}}"#
            ),
            reason: "out_of_range"),
        BadInput(
            name: "huge integer time", format: .openai,
            bytes: openai(#"{"ts": 123456789012345678901234567890, "account": "a", "request": {"messages": []}}"#),
            reason: "out_of_range"),
        BadInput(
            name: "status out of range", format: .openai,
            bytes: openai(#"{"ts": 1795630000, "account": "a", "status": -7, "request": {"messages": []}}"#),
            reason: "out_of_range"),
        BadInput(
            name: "a 10 MB line", format: .openai,
            bytes: Array(#"{"ts": 1795630000, "account": "a", "pad": ""#.utf8)
                + [UInt8](repeating: 0x78, count: 10 << 20)
                + Array(#""}"#.utf8), reason: "too_long"),
        BadInput(
            name: "invalid UTF-8", format: .openai,
            bytes: Array(#"{"ts": 1795630000, "account": "a"#.utf8) + [0xFF, 0xFE, 0xC3]
                + Array(#"", "request": {}}"#.utf8),
            reason: "invalid_utf8"),
        BadInput(
            name: "NUL bytes in a line", format: .openai,
            bytes: Array(#"{"ts": 1795630000, "account": "a"#.utf8) + [0, 0, 0] + Array(#"", "request": {}}"#.utf8),
            reason: "not_json"),
        BadInput(
            name: "a run of NUL bytes", format: .openai, bytes: [UInt8](repeating: 0, count: 4096), reason: "not_json"),
        BadInput(
            name: "CRLF line ending", format: .openai, bytes: Array(line("a", 50).dropLast().utf8) + [0x0D],
            reason: nil,
            records: 3),
        BadInput(
            name: "empty and blank lines", format: .openai, bytes: Array("\n \t\n\r".utf8), reason: nil, skipped: 3),
        BadInput(
            name: "LiteLLM tokens as strings", format: .litellm,
            bytes: Array(
                goodLiteLLM.replacingOccurrences(of: #""prompt_tokens": 3"#, with: #""prompt_tokens": "3""#).utf8),
            reason: "wrong_type"),
        BadInput(
            name: "LiteLLM messages of the wrong type", format: .litellm,
            bytes: Array(
                goodLiteLLM.replacingOccurrences(
                    of: #""messages": [{"role": "user", "content": "hi"}]"#, with: #""messages": true"#
                ).utf8),
            reason: "wrong_type"),
        BadInput(
            name: "LiteLLM wrapper of the wrong type", format: .litellm,
            bytes: Array(#"{"standard_logging_object": "x"}"#.utf8), reason: "wrong_type"),
    ]
}

@Suite struct BadInputTests {
    @Test(arguments: BadInput.all)
    func isCountedSampledAndIngestionGoesOn(_ input: BadInput) async throws {
        let f = try TailFixture()
        let good = input.format == .litellm ? BadInput.goodLiteLLM + "\n" : line("a", 0)
        var data = Data(good.utf8)
        data.append(contentsOf: input.bytes)
        data.append(0x0A)
        data.append(contentsOf: (input.format == .litellm ? BadInput.goodLiteLLM + "\n" : line("a", 1)).utf8)
        try f.append("app.jsonl", data)
        let tailer = f.tailer("app.jsonl", format: input.format)
        while try await tailer.poll() > 0 {}
        #expect(try await f.requests("a") == Int64(input.records))
        let counts = try await f.counts()
        #expect(counts.bad == (input.reason.map { [$0: 1] } ?? [:]))
        #expect(counts.skipped == Int64(input.skipped))
        let samples = try await f.store.badLineSamples()
        #expect(samples.map(\.reason) == (input.reason.map { [$0] } ?? []))
        if let sample = samples.first {
            #expect(sample.location == "\(f.path("app.jsonl")):\(good.utf8.count)")
            #expect(sample.detail.utf8.count < 200)  // the reason, never the line
        }
        #expect(tailer.snapshot.first?.lagBytes == 0)
    }

    @Test func keepsABoundedSampleOfBadLines() async throws {
        let f = try TailFixture()
        try f.append("app.jsonl", String(repeating: "not json\n", count: 500) + line("a", 0))
        let tailer = f.tailer("app.jsonl", batchLines: 100)
        while try await tailer.poll() > 0 {}
        #expect(try await f.counts().bad == ["not_json": 500])
        #expect(try await f.store.badLineSamples().count == SQLiteStore.badSampleLimit)
        #expect(try await f.requests("a") == 1)
    }
}
