import Foundation

/// Turns account profiles into assessments. Pure: the same profiles give the same verdicts.
///
/// No single signal separates a harvester from a heavy legitimate user, so the score is built
/// from the shape that bulk output extraction needs all at once — single-shot requests, answers
/// far longer than the prompts, prompts that keep being new — raised by elicitation (reasoning,
/// sampling, logprobs, capability focus) and by volume relative to the population.
public struct Scorer: Sendable {
    public var policy: ScoringPolicy

    public init(policy: ScoringPolicy = ScoringPolicy()) { self.policy = policy }

    /// Derived per-account measures, the inputs of the signals.
    struct Measures {
        var requests: Double
        var spanDays: Double
        var completionPerDay: Double
        var perAnswerCompletion: Double
        var promptPerRequest: Double
        var outputRatio: Double
        var singleShot: Double
        var longOutput: Double
        var hitMaxTokens: Double
        var novelty: Double?
        var distinctPrompts: Double
        var reasoning: Double
        var hotMultiSample: Double
        var highTopLogprobs: Double
        var tinyOutput: Double
        var capability: Double
        var templated: Double
        var activeHours: Int

        init(_ p: AccountProfile) {
            let t = p.totals
            requests = Double(t[.requests])
            // Rates over at least six hours, so a first burst is not extrapolated to a day.
            let span = max(p.sketch.lastSeen - p.sketch.firstSeen, 6 * 3600)
            spanDays = span / 86400
            completionPerDay = Double(t[.completionTokens]) / spanDays
            perAnswerCompletion = Double(t[.completionTokens]) / Double(max(t[.answers], 1))
            promptPerRequest = Double(t[.promptTokens]) / max(requests, 1)
            outputRatio = perAnswerCompletion / max(promptPerRequest, 1)
            singleShot = t.share(.singleShot)
            longOutput = t.share(.longOutput)
            hitMaxTokens = t.share(.hitMaxTokens)
            novelty = t[.sampledPrompts] >= 16 ? Double(t[.novelPrompts]) / Double(t[.sampledPrompts]) : nil
            distinctPrompts = p.sketch.distinctPrompts.estimate
            reasoning = t.share(.reasoning)
            hotMultiSample = t.share(.hotMultiSample)
            highTopLogprobs = t.share(.highTopLogprobs)
            tinyOutput = t.share(.tinyOutput)
            capability = Double(t[.math] + t[.code]) / max(requests, 1)
            templated = t.share(.topTemplateHits)
            activeHours = p.sketch.activeHourCount
        }
    }

    /// Scores every profile. End-user entities are scored too; a flagged end user raises its account.
    public func assess(_ profiles: [AccountProfile]) -> [Assessment] {
        let measures = profiles.map(Measures.init)
        // The population: accounts with enough traffic to compare.
        let population = zip(profiles, measures).filter { $0.0.parent == nil && $0.1.requests >= 20 }.map(\.1)
        let volumes = population.map(\.completionPerDay).sorted()

        var results: [Assessment] = []
        results.reserveCapacity(profiles.count)
        for (profile, m) in zip(profiles, measures) {
            results.append(assess(profile, m, volumes: volumes))
        }
        return rollUpEndUsers(results, profiles: profiles)
    }

    func assess(_ profile: AccountProfile, _ m: Measures, volumes: [Double]) -> Assessment {
        var reasons: [Reason] = []
        let volumeRank = percentile(of: m.completionPerDay, in: volumes)

        // The extraction shape.
        let single = ramp(m.singleShot, 0.6, 0.95)
        let long = max(ramp(m.longOutput, 0.15, 0.5), ramp(m.hitMaxTokens, 0.1, 0.4)) * ramp(m.outputRatio, 1, 4)
        let novel = m.novelty.map { ramp($0, 0.5, 0.9) * ramp(m.distinctPrompts, 50, 500) } ?? 0
        let shape = cbrt(single * long * novel)

        if long > 0.3 {
            reasons.append(
                Reason(
                    code: "long_answers",
                    summary: "answers average \(Int(m.perAnswerCompletion)) tokens, \(format(m.outputRatio))× the prompt; "
                        + "\(pct(m.longOutput)) long, \(pct(m.hitMaxTokens)) hit max_tokens",
                    value: long))
        }
        if novel > 0.3, let novelty = m.novelty {
            reasons.append(
                Reason(
                    code: "novelty",
                    summary: "\(pct(novelty)) of prompts never sent before by this account, "
                        + "~\(Int(m.distinctPrompts)) distinct prompts",
                    value: novel))
        }
        if single > 0.3 && shape > 0.2 {
            reasons.append(Reason(code: "single_shot", summary: "\(pct(m.singleShot)) single-shot requests", value: single))
        }

        // Elicitation: what a student model wants from a teacher.
        let reasoning = ramp(m.reasoning, 0.15, 0.6)
        let sampling = ramp(m.hotMultiSample, 0.1, 0.5)
        let logprobs = ramp(m.highTopLogprobs, 0.1, 0.5) * (1 - m.tinyOutput)
        let capability = ramp(m.capability, 0.4, 0.8)
        if reasoning > 0.3 {
            reasons.append(
                Reason(code: "reasoning_elicitation", summary: "\(pct(m.reasoning)) of requests ask for step-by-step reasoning", value: reasoning))
        }
        if sampling > 0.3 {
            reasons.append(
                Reason(code: "rejection_sampling", summary: "\(pct(m.hotMultiSample)) of requests ask n>1 samples at high temperature", value: sampling))
        }
        if logprobs > 0.3 {
            reasons.append(
                Reason(code: "logprob_harvest", summary: "\(pct(m.highTopLogprobs)) of requests ask top_logprobs ≥ 10 on full answers", value: logprobs))
        }
        if capability > 0.3 && shape > 0.2 {
            reasons.append(Reason(code: "capability_focus", summary: "\(pct(m.capability)) of requests are math or code", value: capability))
        }
        let elicitation = max(reasoning, sampling, logprobs, 0.6 * capability)

        let volume = ramp(volumeRank, 0.5, 0.95)
        if volume > 0.3 && shape > 0.2 {
            reasons.append(
                Reason(
                    code: "output_volume",
                    summary: "completion tokens per day \(compact(m.completionPerDay)), above \(pct(volumeRank)) of accounts",
                    value: volume))
        }

        var score = shape * (0.55 + 0.25 * elicitation + 0.2 * volume)
        score = min(1, max(0, score))
        reasons.sort { $0.value > $1.value }
        let level = policy.level(for: score, requests: profile.totals[.requests])
        return Assessment(account: profile.id, score: score, level: level, reasons: reasons)
    }

    /// An account inherits the worst of its end users, with the reason `end_user`.
    func rollUpEndUsers(_ assessments: [Assessment], profiles: [AccountProfile]) -> [Assessment] {
        var index: [String: Int] = [:]
        for (i, a) in assessments.enumerated() where profiles[i].parent == nil { index[a.account] = i }
        var result = assessments
        for (i, a) in assessments.enumerated() {
            guard let parent = profiles[i].parent, let p = index[parent], a.level >= .review else { continue }
            if a.score > result[p].score {
                let endUser = String(a.account.dropFirst(parent.count + 2))
                result[p].score = a.score
                result[p].level = max(result[p].level, a.level)
                result[p].reasons.insert(
                    Reason(code: "end_user", summary: "end user \(endUser) looks like harvesting (score \(format(a.score)))", value: a.score),
                    at: 0)
            }
        }
        return result
    }
}

/// 0 at `low`, 1 at `high`, linear between.
@inline(__always)
func ramp(_ x: Double, _ low: Double, _ high: Double) -> Double {
    guard high > low else { return x >= high ? 1 : 0 }
    return min(1, max(0, (x - low) / (high - low)))
}

/// Share of `sorted` strictly below `value`.
func percentile(of value: Double, in sorted: [Double]) -> Double {
    guard !sorted.isEmpty else { return 0 }
    var low = 0
    var high = sorted.count
    while low < high {
        let mid = (low + high) / 2
        if sorted[mid] < value { low = mid + 1 } else { high = mid }
    }
    return Double(low) / Double(sorted.count)
}

func pct(_ share: Double) -> String {
    let value = share * 100
    return value >= 99.95 || value < 10 ? String(format: "%.1f%%", value) : String(format: "%.0f%%", value)
}

func format(_ x: Double) -> String { String(format: x >= 10 ? "%.0f" : "%.2f", x) }

/// 2_100_000 → "2.1M".
func compact(_ x: Double) -> String {
    switch x {
    case 1e9...: return String(format: "%.1fG", x / 1e9)
    case 1e6...: return String(format: "%.1fM", x / 1e6)
    case 1e3...: return String(format: "%.1fk", x / 1e3)
    default: return String(format: "%.0f", x)
    }
}
