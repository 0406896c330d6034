/// The additive per-account counters. Every one is a plain sum, so hourly buckets add up to
/// days and totals, and several writers can merge them (`SET n = t.n + excluded.n`).
public enum Counter: Int, CaseIterable, Sendable {
    case requests, answers, errors, rateLimited, promptTokens, completionTokens
    case singleShot, reasoning, logprobs, highTopLogprobs, multiSample, hotMultiSample, greedy
    case hitMaxTokens, longOutput, tinyOutput, toolUse, systemPrompt
    case math, code, agentic, judge, chat
    case sampledPrompts, novelPrompts, topTemplateHits
    /// Follow-ups whose previous turn is in the novelty sample, and those of them whose previous
    /// turn this account had sent before (a real conversation) rather than made up.
    case sampledFollowUps, continuedFollowUps
    /// Requests that sample again, at temperature ≥ 0.7, a prompt the account sent the same day
    /// (rejection sampling by separate requests), estimated from the novelty sample: each of
    /// those counts four, as the sample holds one prompt in four.
    case resampled
    /// A reasoning model's hidden reasoning, counted in `completionTokens` (and billed) but never
    /// sent to the client: not output anyone can harvest.
    case reasoningTokens

    /// The SQL column (and JSON key) of the counter.
    public var name: String {
        switch self {
        case .requests: return "requests"
        case .answers: return "answers"
        case .errors: return "errors"
        case .rateLimited: return "rate_limited"
        case .promptTokens: return "prompt_tokens"
        case .completionTokens: return "completion_tokens"
        case .singleShot: return "single_shot"
        case .reasoning: return "reasoning"
        case .logprobs: return "logprobs"
        case .highTopLogprobs: return "high_top_logprobs"
        case .multiSample: return "multi_sample"
        case .hotMultiSample: return "hot_multi_sample"
        case .greedy: return "greedy"
        case .hitMaxTokens: return "hit_max_tokens"
        case .longOutput: return "long_output"
        case .tinyOutput: return "tiny_output"
        case .toolUse: return "tool_use"
        case .systemPrompt: return "system_prompt"
        case .math: return "math"
        case .code: return "code"
        case .agentic: return "agentic"
        case .judge: return "judge"
        case .chat: return "chat"
        case .sampledPrompts: return "sampled_prompts"
        case .novelPrompts: return "novel_prompts"
        case .topTemplateHits: return "top_template_hits"
        case .sampledFollowUps: return "sampled_follow_ups"
        case .continuedFollowUps: return "continued_follow_ups"
        case .resampled: return "resampled"
        case .reasoningTokens: return "reasoning_tokens"
        }
    }
}

/// One value per `Counter`.
public struct Counters: Sendable, Equatable {
    public var values: [Int64]

    public init() { values = [Int64](repeating: 0, count: Counter.allCases.count) }
    public init(values: [Int64]) {
        precondition(values.count == Counter.allCases.count)
        self.values = values
    }

    public subscript(counter: Counter) -> Int64 {
        get { values[counter.rawValue] }
        set { values[counter.rawValue] = newValue }
    }

    public static func += (lhs: inout Counters, rhs: Counters) {
        for i in 0..<lhs.values.count { lhs.values[i] += rhs.values[i] }
    }

    /// `numerator / requests`, 0 for an empty account.
    public func share(_ counter: Counter) -> Double {
        let total = self[.requests]
        return total > 0 ? Double(self[counter]) / Double(total) : 0
    }

    public var isEmpty: Bool { self[.requests] == 0 }

    /// Completion tokens the client received: without a reasoning model's hidden reasoning
    /// (`RequestRecord.visibleCompletionTokens`, summed).
    public var visibleCompletionTokens: Int64 { max(0, self[.completionTokens] - self[.reasoningTokens]) }
}

extension Counters {
    /// The counters one request adds, with what its account's sketch observed of it.
    public static func of(
        _ record: RequestRecord, _ features: RequestFeatures, _ observation: AccountSketch.Observation
    ) -> Counters {
        var c = Counters()
        c[.requests] = 1
        c[.answers] = Int64(record.n)
        if record.status >= 400 { c[.errors] = 1 }
        if record.status == 429 { c[.rateLimited] = 1 }
        c[.promptTokens] = Int64(record.promptTokens)
        c[.completionTokens] = Int64(record.completionTokens)
        c[.reasoningTokens] = Int64(record.reasoningTokens)
        // Declaring tools does not make a question a conversation: a task's first request is
        // single-shot like any other; its tool rounds, if the account runs the loop, are not.
        if features.userTurns <= 1 && !features.isToolRound { c[.singleShot] = 1 }
        if features.reasoning { c[.reasoning] = 1 }
        if record.logprobs { c[.logprobs] = 1 }
        if record.topLogprobs >= 10 { c[.highTopLogprobs] = 1 }
        if record.n > 1 { c[.multiSample] = 1 }
        if record.n > 1 && (record.temperature ?? 1) >= 0.7 { c[.hotMultiSample] = 1 }
        if record.temperature == 0 { c[.greedy] = 1 }
        if features.hitMaxTokens && record.status < 400 { c[.hitMaxTokens] = 1 }
        let perAnswer = record.visibleCompletionTokens / max(1, record.n)
        if perAnswer >= 600 { c[.longOutput] = 1 }
        if record.status < 400 && perAnswer <= 8 { c[.tinyOutput] = 1 }
        if features.usesTools { c[.toolUse] = 1 }
        if features.systemHash != nil { c[.systemPrompt] = 1 }
        switch features.category {
        case .math: c[.math] = 1
        case .code: c[.code] = 1
        case .agentic: c[.agentic] = 1
        case .judge: c[.judge] = 1
        case .chat: c[.chat] = 1
        case .other: break
        }
        if let novel = observation.novel {
            c[.sampledPrompts] = 1
            if novel { c[.novelPrompts] = 1 }
        }
        if observation.resampled { c[.resampled] = 4 }
        if observation.repeatedTemplate { c[.topTemplateHits] = 1 }
        if let continued = observation.continued {
            c[.sampledFollowUps] = 1
            if continued { c[.continuedFollowUps] = 1 }
        }
        return c
    }
}
