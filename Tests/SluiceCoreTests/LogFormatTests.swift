import Foundation
import Testing

@testable import SluiceCore

@Suite struct LogFormatTests {
    let hasher = KeyHasher(secret: "test-secret")

    @Test(.enabled(if: Fixtures.available)) func parsesEveryLiteLLMCustomLoggerLine() throws {
        let parser = LogParser(format: .litellm, keyHasher: hasher)
        let lines = try Fixtures.lines("sample_logs/litellm-1.82.6/custom_logger_standard_logging_payload.jsonl")
        #expect(lines.count == 18)
        var accounts = Set<String>()
        for line in lines {
            guard case .record(let record) = parser.parse(line: line) else {
                Issue.record("not a record: \(line.prefix(80))")
                continue
            }
            accounts.insert(record.account)
            #expect(record.time > 1.7e9)
            #expect(record.status == 200)
            #expect(record.endUser?.hasPrefix("acct-") == true)
            #expect(!record.messages.isEmpty)
            #expect(record.completionTokens > 0)
        }
        // No team ids in the sample: the account falls back to the key hash.
        #expect(accounts == ["88dc28d0f030c55ed4ab77ed8faf098196cb1c05df778539800c9f1243fe6b4b"])
    }

    @Test(.enabled(if: Fixtures.available)) func mapsLiteLLMParameters() throws {
        let parser = LogParser(format: .litellm, accountPaths: [FieldPath("end_user")], keyHasher: hasher)
        let records = try Fixtures.lines("sample_logs/litellm-1.82.6/custom_logger_standard_logging_payload.jsonl")
            .compactMap {
                line -> RequestRecord? in
                if case .record(let r) = parser.parse(line: line) { return r }
                return nil
            }
        let judge = try #require(records.first { $0.account == "acct-evalharness" && $0.maxTokens == 1 })
        #expect(judge.logprobs && judge.topLogprobs == 5)
        let distiller = try #require(records.first { $0.account == "acct-distill-77" && $0.n == 4 })
        #expect(distiller.temperature == 1.0 && distiller.maxTokens == 4096)
        #expect(distiller.finishReason != nil)
    }

    @Test(.enabled(if: Fixtures.available)) func parsesGenericAPICallbackPosts() throws {
        let parser = LogParser(format: .litellm, accountPaths: [FieldPath("end_user")], keyHasher: hasher)
        var records = 0
        for post in try Fixtures.lines("sample_logs/litellm-1.82.6/generic_api_callback_posts.jsonl") {
            let envelope = try JSONValue.parse(post)
            let body = try #require(envelope["body"]?.stringValue)
            var bytes = Array(body.utf8)
            let outcomes = try bytes.withUnsafeMutableBufferPointer { buffer in
                let text = UnsafeBufferPointer(buffer)
                return try JSONTape.parse(text).withRoot(of: text) { batch in batch.elements.map(parser.parse(object:))
                }
            }
            for outcome in outcomes {
                guard case .record = outcome else {
                    Issue.record("element of a generic_api post did not parse: \(outcome)")
                    continue
                }
                records += 1
            }
        }
        #expect(records == 18)
    }

    @Test(.enabled(if: Fixtures.available)) func parsesNginxLinesAndSkipsHealthChecks() throws {
        let parser = LogParser(format: .nginx, keyHasher: hasher)
        var records: [RequestRecord] = []
        var skipped = 0
        for line in try Fixtures.lines("sample_logs/nginx-1.22.1/access.json.log") {
            switch parser.parse(line: line) {
            case .record(let r): records.append(r)
            case .skipped: skipped += 1
            case .bad(let reason, let detail): Issue.record("bad nginx line: \(reason) \(detail)")
            }
        }
        #expect(skipped >= 1)
        #expect(records.count + skipped == 19)
        for record in records {
            #expect(record.account.hasPrefix("key:"))
            #expect(!record.account.contains("sk-1234"))
            #expect(record.apiKeyID == hasher.keyID(forRawKey: "sk-1234"))
            #expect(!record.messages.isEmpty)
        }
        #expect(Set(records.compactMap(\.endUser)).count >= 3)
        // The same requests' LiteLLM log (sample_logs/litellm-1.82.6) counts 66 completion tokens for
        // the streamed and the 256- and 2048-token requests, 3 for max_tokens 1, 7 for max_tokens 5
        // and 264 for max_tokens 4096. The estimate from bytes keeps tiny answers tiny.
        for record in records {
            let actual: Int =
                switch (record.stream, record.maxTokens) {
                case (true, _): 66
                case (false, 1): 3
                case (false, 5): 7
                case (false, 4096): 264
                default: 66
                }
            let estimate = record.completionTokens
            #expect(
                estimate <= max(10, 2 * actual) && estimate >= actual / 2,
                "\(estimate) tokens estimated for \(actual) (stream \(record.stream), max_tokens \(record.maxTokens ?? 0))"
            )
        }
    }

    /// A `log_format` may carry `$msec`, `$time_iso8601` or only `$time_local`.
    @Test func nginxTimeComesFromWhicheverTimeTheLogFormatHas() {
        let parser = LogParser(format: .nginx, keyHasher: hasher)
        let rest =
            #""http_authorization": "Bearer sk-1", "request_body": "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}""#
        let times = [
            #""msec": "1795630621.524""#, #""time_iso8601": "2026-11-25T18:17:01.524+00:00""#,
            #""time_iso8601": "2026-11-25T19:17:01.524+01:00""#, #""time_local": "25/Nov/2026:18:17:01 +0000""#,
            #""time_local": "25/Nov/2026:13:17:01 -0500""#,
        ]
        for time in times {
            guard case .record(let r) = parser.parse(line: "{\(time), \(rest)}") else {
                Issue.record("\(time) should give a record")
                continue
            }
            #expect(abs(r.time - 1_795_630_621.524) < 0.6, "\(time)")
        }
        guard case .bad(.missingField, _) = parser.parse(line: "{\(rest)}") else {
            Issue.record("a line without a time is missing a field")
            return
        }
        guard case .bad(.wrongType, _) = parser.parse(line: #"{"time_local": "yesterday", "# + rest + "}") else {
            Issue.record("an unreadable time_local is of the wrong type")
            return
        }
    }

    @Test func parsesTheOpenAIFormat() {
        let parser = LogParser(format: .openai, keyHasher: hasher)
        let line = #"""
            {"ts":"2026-11-01T10:00:00.5Z","account":"acme","api_key_id":"k1","ip":"203.0.113.9","user_agent":"openai-python/1.50","status":200,"request":{"model":"m","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":[{"type":"text","text":"Hi"}]}],"n":3,"temperature":0.9,"top_logprobs":20,"tools":[{"type":"function"}]},"usage":{"prompt_tokens":12,"completion_tokens":300},"finish_reason":"length"}
            """#
        guard case .record(let r) = parser.parse(line: line) else {
            Issue.record("openai line did not parse")
            return
        }
        #expect(r.account == "acme" && r.apiKeyID == "k1" && r.n == 3 && r.topLogprobs == 20 && r.logprobs)
        #expect(r.time == 1_793_527_200.5)
        #expect(r.messages == [ChatMessage(role: "system", text: "Be brief."), ChatMessage(role: "user", text: "Hi")])
        #expect(r.toolCount == 1 && r.finishReason == "length" && r.completionTokens == 300)
    }

    @Test func aReasoningModelsHiddenReasoningIsReadFromTheUsage() {
        // OpenAI's `usage.completion_tokens_details`, in our format and in LiteLLM's usage object;
        // a malformed detail is ignored, not the request, and never exceeds the completion.
        let openai = LogParser(format: .openai, keyHasher: hasher)
        let litellm = LogParser(format: .litellm, keyHasher: hasher)
        func openaiLine(_ details: String) -> String {
            #"{"ts":1795630636,"account":"acme","request":{"messages":[]},"usage":{"prompt_tokens":10,"completion_tokens":1000,"completion_tokens_details":"#
                + details + "}}"
        }
        let cases: [(LogParser, String, Int)] = [
            (openai, openaiLine(#"{"reasoning_tokens":900}"#), 900),
            (openai, openaiLine(#"{"reasoning_tokens":5000}"#), 1000),
            (openai, openaiLine(#""n/a""#), 0),
            (openai, openaiLine(#"{"reasoning_tokens":"many"}"#), 0),
            (openai, openaiLine("null"), 0),
            (
                litellm,
                #"{"startTime":1795630636,"completion_tokens":1000,"metadata":{"user_api_key_team_id":"t","usage_object":{"completion_tokens":1000,"completion_tokens_details":{"reasoning_tokens":640}}}}"#,
                640
            ),
        ]
        for (parser, line, reasoning) in cases {
            guard case .record(let r) = parser.parse(line: line) else {
                Issue.record("\(line) should give a record")
                continue
            }
            #expect(r.completionTokens == 1000 && r.reasoningTokens == reasoning, "\(line)")
            #expect(r.visibleCompletionTokens == 1000 - reasoning)
        }
    }

    @Test func classifiesBadLines() {
        let parser = LogParser(format: .litellm, keyHasher: hasher, maximumLineBytes: 4096)
        let ok = #"{"startTime": 1795630636.6, "metadata": {"user_api_key_team_id": "t"}}"#
        guard case .record = parser.parse(line: ok) else {
            Issue.record("minimal line should parse")
            return
        }
        let cases: [(String, BadLineReason)] = [
            ("{not json", .notJSON),
            (#"{"startTime": 1795630636.6"#, .notJSON),
            ("[1,2]", .notObject),
            (#"{"startTime": 1795630636.6}"#, .missingAccount),
            (#"{"metadata": {"user_api_key_team_id": "t"}}"#, .missingField),
            (
                #"{"startTime": 1795630636.6, "metadata": {"user_api_key_team_id": "t"}, "prompt_tokens": "12"}"#,
                .wrongType
            ),
            (#"{"startTime": 1795630636.6, "metadata": {"user_api_key_team_id": "t"}, "messages": 7}"#, .wrongType),
            (
                #"{"startTime": 1795630636.6, "metadata": {"user_api_key_team_id": "t"}, "completion_tokens": -5}"#,
                .outOfRange
            ),
            (
                #"{"startTime": 1795630636.6, "metadata": {"user_api_key_team_id": "t"}, "completion_tokens": 1e300}"#,
                .outOfRange
            ),
            (#"{"startTime": 179563063660, "metadata": {"user_api_key_team_id": "t"}}"#, .outOfRange),
            (#"{"startTime": 17956306366, "metadata": {"user_api_key_team_id": "t"}}"#, .outOfRange),
            (#"{"startTime": 999999999, "metadata": {"user_api_key_team_id": "t"}}"#, .outOfRange),
            ("{\"a\": \"\u{0}\"}", .notJSON),
            (String(repeating: "x", count: 5000), .tooLong),
        ]
        for (line, reason) in cases {
            guard case .bad(let got, _) = parser.parse(line: line) else {
                Issue.record("expected \(reason) for \(line.prefix(60))")
                continue
            }
            #expect(got == reason, "\(line.prefix(60))")
        }
        let invalid: [UInt8] = Array(#"{"a": ""#.utf8) + [0xFF, 0xFE] + Array(#""}"#.utf8)
        guard case .bad(.invalidUTF8, _) = invalid.withUnsafeBufferPointer({ parser.parse(line: $0) }) else {
            Issue.record("invalid UTF-8 not detected")
            return
        }
        #expect(parser.parse(line: "") == .skipped)
        guard case .record = parser.parse(line: ok + "\r") else {
            Issue.record("a CRLF line should parse")
            return
        }
    }

    @Test func epochTimesInMillisecondsMicrosecondsAndNanosecondsAreRecognised() {
        let parser = LogParser(format: .litellm, keyHasher: hasher)
        for time in ["1795630636.6", "1795630636600", "1795630636600000", "1795630636600000000", "\"1795630636600\""] {
            let line = #"{"startTime": "# + time + #", "metadata": {"user_api_key_team_id": "t"}}"#
            guard case .record(let r) = parser.parse(line: line) else {
                Issue.record("\(time) should be read as an epoch time")
                continue
            }
            #expect(abs(r.time - 1_795_630_636.6) < 1e-3, "\(time)")
        }
    }

    /// LiteLLM's `messages` is `Optional[Union[str, list, dict]]`: every shape of it is a request.
    @Test func everyShapeOfLiteLLMMessagesIsARequest() {
        let parser = LogParser(format: .litellm, keyHasher: hasher)
        let cases: [(String, [ChatMessage])] = [
            ("null", []),
            (#""Once upon a time""#, [ChatMessage(role: "user", text: "Once upon a time")]),
            (#"{"role": "user", "content": "Hi"}"#, [ChatMessage(role: "user", text: "Hi")]),
            (#"{"input": "x"}"#, []),
            (
                #"["first", "second"]"#,
                [ChatMessage(role: "user", text: "first"), ChatMessage(role: "user", text: "second")]
            ),
            (
                #"[{"role": "system", "content": "Be brief."}, 3, {"role": "user", "content": [{"type": "text", "text": "Hi"}]}]"#,
                [ChatMessage(role: "system", text: "Be brief."), ChatMessage(role: "user", text: "Hi")]
            ),
        ]
        for (messages, expected) in cases {
            let line =
                #"{"startTime": 1795630636.6, "metadata": {"user_api_key_team_id": "t"}, "messages": "# + messages + "}"
            guard case .record(let r) = parser.parse(line: line) else {
                Issue.record("messages \(messages) should give a record")
                continue
            }
            #expect(r.messages == expected, "\(messages)")
        }
    }

    @Test func keyHashesAreKeyedAndNeverTheKey() {
        let a = KeyHasher(secret: "one").keyID(forRawKey: "sk-live-123")
        let b = KeyHasher(secret: "two").keyID(forRawKey: "sk-live-123")
        #expect(a != b && !a.contains("sk-live") && a.count == 36)
        #expect(KeyHasher.bearerToken("Bearer sk-1") == "sk-1")
        #expect(Digest.sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}
