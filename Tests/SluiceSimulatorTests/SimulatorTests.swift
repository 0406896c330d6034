import Foundation
import SluiceTestSupport
import Testing

@testable import SluiceSimulator

/// One small run shared by the read-only tests (2 days at scale 0.1), generated once.
private let smallRun: Result<URL, any Error> = Result {
    let directory = scratchRoot.appendingPathComponent("sluice-sim-small")
    _ = try Simulator.run(SimulationOptions(days: 2, seed: 11, scale: 0.1), into: directory)
    return directory
}

private func temporaryDirectory(_ name: String) -> URL {
    scratchRoot.appendingPathComponent("sluice-sim-\(name)")
}

/// Every line of a traffic file, parsed.
private func parsedLines(_ directory: URL) throws -> [[String: Any]] {
    let data = try Data(contentsOf: directory.appendingPathComponent("traffic.jsonl"))
    #expect(data.last == 0x0A)
    return try data.split(separator: 0x0A).map { line in
        try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
    }
}

private func teamID(_ line: [String: Any]) -> String? {
    (line["metadata"] as? [String: Any])?["user_api_key_team_id"] as? String
}

private func parameters(_ line: [String: Any]) -> [String: Any] {
    line["model_parameters"] as? [String: Any] ?? [:]
}

private func messages(_ line: [String: Any]) -> [[String: Any]] {
    line["messages"] as? [[String: Any]] ?? []
}

private let allPersonas: Set<String> = [
    "chat_user", "coding_assistant", "coding_agent", "eval_harness", "llm_judge", "batch_classifier", "rag_app",
    "summarizer", "instruction_harvester", "reasoning_harvester", "code_harvester", "logprob_harvester", "hydra",
    "slow_and_low", "reseller", "adaptive",
]

@Suite struct SimulatorTests {
    @Test func sameOptionsGiveIdenticalBytesAndAnotherSeedDoesNot() throws {
        let first = temporaryDirectory("det-a")
        let second = temporaryDirectory("det-b")
        let other = temporaryDirectory("det-c")
        defer { for url in [first, second, other] { try? FileManager.default.removeItem(at: url) } }
        let options = SimulationOptions(days: 1, seed: 7, scale: 0.1)
        let summary = try Simulator.run(options, into: first)
        _ = try Simulator.run(options, into: second)
        var changed = options
        changed.seed = 8
        _ = try Simulator.run(changed, into: other)

        let traffic = { (url: URL) in try Data(contentsOf: url.appendingPathComponent("traffic.jsonl")) }
        let labels = { (url: URL) in try Data(contentsOf: url.appendingPathComponent("labels.json")) }
        #expect(summary.lines > 1_000)
        #expect(try traffic(first) == traffic(second))
        #expect(try labels(first) == labels(second))
        #expect(try traffic(first) != traffic(other))
        #expect(try labels(first) != labels(other))
    }

    @Test func everyLineIsAStandardLoggingPayloadSortedByStartTime() throws {
        let lines = try parsedLines(try smallRun.get())
        #expect(lines.count > 10_000)
        var previousStart = 0.0
        var ids: Set<String> = []
        let hexDigits = Set("0123456789abcdef")
        for line in lines {
            let id = try #require(line["id"] as? String)
            #expect(id.hasPrefix("chatcmpl-"))
            #expect(ids.insert(id).inserted, "duplicate id \(id)")
            #expect(line["call_type"] as? String == "acompletion")
            let start = try #require(line["startTime"] as? Double)
            let end = try #require(line["endTime"] as? Double)
            #expect(start >= previousStart)
            #expect(end >= start)
            previousStart = start
            #expect((line["model"] as? String)?.hasPrefix("gpt-frontier-") == true)

            let metadata = try #require(line["metadata"] as? [String: Any])
            let keyHash = try #require(metadata["user_api_key_hash"] as? String)
            #expect(keyHash.count == 64 && keyHash.allSatisfy(hexDigits.contains))
            #expect((metadata["user_api_key_team_id"] as? String)?.isEmpty == false)
            #expect(metadata.keys.contains("user_api_key_end_user_id"))
            #expect(metadata["requester_ip_address"] as? String == line["requester_ip_address"] as? String)
            #expect(metadata["user_agent"] as? String == line["user_agent"] as? String)
            #expect(line["end_user"] is String)
            #expect((line["requester_ip_address"] as? String)?.split(separator: ".").count == 4)
            #expect((line["user_agent"] as? String)?.isEmpty == false)

            let promptTokens = try #require(line["prompt_tokens"] as? Int)
            let completionTokens = try #require(line["completion_tokens"] as? Int)
            #expect(line["total_tokens"] as? Int == promptTokens + completionTokens)
            #expect(line["model_parameters"] is [String: Any])

            let conversation = messages(line)
            #expect(!conversation.isEmpty)
            #expect(conversation.last?["role"] as? String == "user" || conversation.last?["role"] as? String == "tool")
            for message in conversation {
                let role = try #require(message["role"] as? String)
                #expect(["system", "user", "assistant", "tool"].contains(role))
                if role == "tool" { #expect(message["tool_call_id"] is String) }
            }

            let response = try #require(line["response"] as? [String: Any])
            switch line["status"] as? String {
            case "success":
                let choices = try #require(response["choices"] as? [[String: Any]])
                #expect(!choices.isEmpty)
                #expect(choices.count == (parameters(line)["n"] as? Int ?? 1))
                for choice in choices {
                    #expect(["stop", "length", "tool_calls"].contains(choice["finish_reason"] as? String ?? ""))
                    #expect((choice["message"] as? [String: Any])?["role"] as? String == "assistant")
                }
                #expect((response["usage"] as? [String: Any])?["completion_tokens"] as? Int == completionTokens)
            case "failure":
                #expect((line["error_str"] as? String)?.isEmpty == false)
                #expect(completionTokens == 0)
            default:
                Issue.record("unexpected status \(String(describing: line["status"]))")
            }
        }
    }

    @Test func linesHaveRealisticSizes() throws {
        let data = try Data(contentsOf: try smallRun.get().appendingPathComponent("traffic.jsonl"))
        let sizes = data.split(separator: 0x0A).map(\.count).sorted()
        let median = sizes[sizes.count / 2]
        #expect(median > 1_000 && median < 6_000)
        #expect(sizes[sizes.count * 99 / 100] < 16_000)
    }

    @Test func labelsCoverEveryAccountAndEveryPersona() throws {
        let directory = try smallRun.get()
        let labels = try Labels.load(directory.appendingPathComponent("labels.json"))
        let accounts = Set(try parsedLines(directory).compactMap(teamID))
        #expect(Set(labels.accounts.keys) == accounts)
        #expect(Set(labels.accounts.values.map(\.persona)) == allPersonas)
        let attackPersonas: Set<String> = [
            "instruction_harvester", "reasoning_harvester", "code_harvester",
            "logprob_harvester", "hydra", "slow_and_low", "reseller", "adaptive",
        ]
        for label in labels.accounts.values {
            #expect(label.label == (attackPersonas.contains(label.persona) ? "attack" : "benign"))
        }
    }

    @Test func personasShowTheirTraits() throws {
        let directory = try smallRun.get()
        let labels = try Labels.load(directory.appendingPathComponent("labels.json"))
        var byPersona: [String: [[String: Any]]] = [:]
        for line in try parsedLines(directory) {
            guard let persona = teamID(line).flatMap({ labels.accounts[$0]?.persona }) else { continue }
            byPersona[persona, default: []].append(line)
        }
        let successes = { (persona: String) in
            byPersona[persona, default: []].filter { $0["status"] as? String == "success" }
        }

        let judge = successes("llm_judge")
        #expect(
            !judge.isEmpty
                && judge.allSatisfy {
                    parameters($0)["max_tokens"] as? Int == 1 && parameters($0)["logprobs"] as? Bool == true
                        && parameters($0)["top_logprobs"] as? Int == 5
                })
        #expect(successes("logprob_harvester").allSatisfy { parameters($0)["top_logprobs"] as? Int == 20 })
        #expect(
            successes("reasoning_harvester").allSatisfy {
                (parameters($0)["n"] as? Int ?? 1) > 1 && (parameters($0)["temperature"] as? Double ?? 0) >= 0.8
            })

        let harness = successes("eval_harness")
        #expect(harness.contains { parameters($0)["n"] as? Int == 5 })
        #expect(harness.contains { parameters($0)["temperature"] as? Double == 0 })
        // The same benchmark set comes back on both days.
        let promptsByDay = Dictionary(grouping: harness) { Int(($0["startTime"] as? Double ?? 0) / 86_400) }
            .mapValues { Set($0.compactMap { messages($0).last?["content"] as? String }) }
        #expect(promptsByDay.count == 2)
        #expect(
            promptsByDay.values.reduce(into: Set<String>?.none) { common, day in
                common = common.map { $0.intersection(day) } ?? day
            }?.count ?? 0 > 100)

        let agent = successes("coding_agent")
        #expect(agent.contains { messages($0).contains { $0["role"] as? String == "tool" } })
        #expect(
            agent.contains {
                (($0["response"] as? [String: Any])?["choices"] as? [[String: Any]])?.first?["finish_reason"] as? String
                    == "tool_calls"
            })
        #expect(Set(successes("reseller").compactMap { $0["end_user"] as? String }).count >= 40)
        #expect(Set(successes("rag_app").compactMap { $0["end_user"] as? String }).count >= 50)

        let all = byPersona.values.flatMap { $0 }
        #expect(all.contains { ($0["error_str"] as? String)?.contains("RateLimitError") == true })
        let releaseTime = SimulationOptions.defaultStart.timeIntervalSince1970 + 86_400
        let newModelTimes = all.filter { $0["model"] as? String == "gpt-frontier-2" }
            .compactMap { $0["startTime"] as? Double }
        #expect(!newModelTimes.isEmpty && newModelTimes.allSatisfy { $0 >= releaseTime })
        #expect(all.allSatisfy { ($0["startTime"] as? Double ?? 0) < releaseTime + 86_400 })
    }

    @Test func hydraAtScaleOneIsTwentyPlusAccountsSharingNetworkClientAndPromptSet() throws {
        let directory = temporaryDirectory("hydra")
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try Simulator.run(SimulationOptions(days: 1, seed: 3, scale: 1), into: directory)
        let labels = try Labels.load(directory.appendingPathComponent("labels.json"))
        let members = Set(labels.accounts.filter { $0.value.persona == "hydra" }.keys)
        #expect(members.count >= 20)

        // Only hydra lines are parsed: the file is large for a debug build.
        let data = try Data(contentsOf: directory.appendingPathComponent("traffic.jsonl"))
        var blocks: Set<String> = [], agents: Set<String> = [], systemPrompts: Set<String> = []
        var promptsByMember: [String: Set<String>] = [:]
        for rawLine in data.split(separator: 0x0A) {
            let text = String(decoding: rawLine, as: UTF8.self)
            guard let range = text.range(of: "\"user_api_key_team_id\":\""),
                members.contains(String(text[range.upperBound...].prefix(36)))
            else { continue }
            let line = try #require(try JSONSerialization.jsonObject(with: Data(rawLine)) as? [String: Any])
            let member = try #require(teamID(line))
            let address = try #require(line["requester_ip_address"] as? String)
            blocks.insert(address.split(separator: ".").prefix(3).joined(separator: "."))
            agents.insert(line["user_agent"] as? String ?? "")
            let conversation = messages(line)
            systemPrompts.insert(conversation.first { $0["role"] as? String == "system" }?["content"] as? String ?? "")
            if line["status"] as? String == "success", let prompt = conversation.last?["content"] as? String {
                promptsByMember[member, default: []].insert(prompt)
            }
        }
        #expect(promptsByMember.count == members.count)
        #expect(blocks.count == 1)
        #expect(agents.count == 1)
        #expect(systemPrompts.count == 1)
        let allPrompts = promptsByMember.values.reduce(0) { $0 + $1.count }
        #expect(Set(promptsByMember.values.flatMap { $0 }).count == allPrompts, "members must not share prompts")
        #expect(promptsByMember.values.allSatisfy { $0.count < 400 }, "each member stays small")
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/work/shared/data/gsm8k/test.jsonl")))
    func corporaFolderFeedsThePrompts() throws {
        let directory = temporaryDirectory("corpora")
        defer { try? FileManager.default.removeItem(at: directory) }
        let corpora = URL(fileURLWithPath: "/work/shared/data")
        let summary = try Simulator.run(
            SimulationOptions(days: 1, seed: 5, scale: 0.1, corpora: corpora),
            into: directory)
        #expect(summary.lines > 1_000)
        let text = try String(contentsOf: directory.appendingPathComponent("traffic.jsonl"), encoding: .utf8)
        #expect(text.contains("Janet’s ducks lay 16 eggs per day"))  // GSM8K test item 0, in eval harness runs
        #expect(text.contains("def has_close_elements"))  // HumanEval/0
        #expect(text.contains("I require a leaderboard for various large language models"))  // AlpacaEval judge
        let labels = try Labels.load(summary.labelsFile)
        #expect(Set(labels.accounts.values.map(\.persona)) == allPersonas)
    }

    @Test func invalidOptionsAreRejected() {
        #expect(throws: SimulationError.self) {
            try Simulator.run(SimulationOptions(days: 0), into: temporaryDirectory("invalid"))
        }
        #expect(throws: SimulationError.self) {
            try Simulator.run(SimulationOptions(scale: 0), into: temporaryDirectory("invalid"))
        }
    }

    @Test func plannerScalesAccountCounts() {
        var random = SimulationRandom(seed: 1)
        let full = AccountPlanner.plans(scale: 1, &random)
        let counts = Dictionary(grouping: full, by: \.persona.rawValue).mapValues(\.count)
        #expect(counts["hydra"] == 24)
        #expect((10...40).contains(counts["chat_user"] ?? 0))
        #expect(Set(counts.keys) == allPersonas)
        var smallRandom = SimulationRandom(seed: 1)
        #expect(AccountPlanner.plans(scale: 0.1, &smallRandom).count < full.count / 3)
    }

    @Test func sha256MatchesKnownDigests() {
        #expect(SHA256Digest.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256Digest.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            SHA256Digest.hex(String(repeating: "a", count: 1_000))
                == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }

    @Test func jsonTextEscapesControlCharactersQuotesAndKeepsUnicode() throws {
        let original = "say \"hi\"\\ \n\t\r\u{01} — 你好 🚀"
        var buffer = JSONLineBuffer(capacity: 64)
        buffer.raw("[")
        buffer.string(JSONText(original))
        buffer.raw("]")
        let decoded = try #require(try JSONSerialization.jsonObject(with: Data(buffer.bytes)) as? [String])
        #expect(decoded == [original])
    }
}
