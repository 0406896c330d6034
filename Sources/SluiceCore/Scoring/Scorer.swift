import Foundation

/// Turns account profiles into assessments. Pure: the same profiles give the same verdicts.
///
/// No single signal separates a harvester from a heavy legitimate user, so the score is built
/// from the shape that bulk output extraction needs all at once — single-shot requests, answers
/// far longer than their prompts, prompts that keep being new — raised by elicitation
/// (reasoning, rejection sampling, logprobs, capability focus) and by volume and machine timing
/// relative to the population. Linked accounts are scored again as one, so a hydra whose
/// members each stay small is seen whole; end users are scored inside their account.
public struct Scorer: Sendable {
    public var policy: ScoringPolicy
    public var clustering = Clustering()

    public init(policy: ScoringPolicy = ScoringPolicy()) { self.policy = policy }

    /// Derived per-account measures, the inputs of the signals.
    struct Measures {
        var requests: Double
        var completionPerDay: Double
        var requestsPerDay: Double
        var perAnswerCompletion: Double
        var outputRatio: Double
        var singleShot: Double
        var longOutput: Double
        var hitMaxTokens: Double
        var novelty: Double?
        var distinctPrompts: Double
        var reasoning: Double
        var hotMultiSample: Double
        var resampled: Double
        var highTopLogprobs: Double
        var tinyOutput: Double
        var capability: Double
        var rateLimited: Double
        var greedy: Double
        var judge: Double
        var endUsers: Double
        /// End users seen to come back (`AccountSketch.endUserEntities`).
        var returningEndUsers: Double
        var activeHours: Int
        var gapSpread: Double?

        init(_ p: AccountProfile) {
            let t = p.totals
            requests = Double(t[.requests])
            // Rates over at least six hours, so a first burst is not extrapolated to a whole day.
            let spanDays = max(p.sketch.lastSeen - p.sketch.firstSeen, 6 * 3600) / 86400
            // What a client receives: a reasoning model's hidden reasoning is billed, never sent.
            let answered = Double(t.visibleCompletionTokens)
            completionPerDay = answered / spanDays
            requestsPerDay = requests / spanDays
            perAnswerCompletion = answered / Double(max(t[.answers], 1))
            let promptPerRequest = Double(t[.promptTokens]) / max(requests, 1)
            outputRatio = perAnswerCompletion / max(promptPerRequest, 1)
            // A follow-up whose history the account never sent is one question with a made-up
            // conversation or agent trajectory in front of it (the cheapest way to stop looking
            // single-shot): once enough follow-ups are sampled, count the share of those as single-shot too.
            let followUps = Double(t[.sampledFollowUps])
            let madeUp = followUps >= 8 ? 1 - Double(t[.continuedFollowUps]) / followUps : 0
            let conversational = max(0, Double(t[.requests] - t[.singleShot]))
            singleShot = (Double(t[.singleShot]) + madeUp * conversational) / max(requests, 1)
            longOutput = t.share(.longOutput)
            hitMaxTokens = t.share(.hitMaxTokens)
            let allTime = t[.sampledPrompts] >= 16 ? Double(t[.novelPrompts]) / Double(t[.sampledPrompts]) : nil
            distinctPrompts = p.sketch.distinctPrompts.estimate
            // Until the sampled prompts are enough to tell (a hundred requests or so), the share of
            // distinct prompts says how new they keep being: a young account that never repeats
            // itself is as novel as it will be. The evidence floor still caps what it can reach alone;
            // from ten requests it tells whether a hydra's newest accounts look like the rest.
            let young = requests >= 10 ? min(1, distinctPrompts / requests) : nil
            novelty = p.sketch.recentNovelty() ?? allTime ?? young
            reasoning = t.share(.reasoning)
            hotMultiSample = t.share(.hotMultiSample)
            resampled = min(1, t.share(.resampled))
            highTopLogprobs = t.share(.highTopLogprobs)
            tinyOutput = t.share(.tinyOutput)
            capability = Double(t[.math] + t[.code]) / max(requests, 1)
            rateLimited = t.share(.rateLimited)
            greedy = t.share(.greedy)
            judge = t.share(.judge)
            endUsers = p.sketch.endUsers.estimate
            returningEndUsers = Double(p.sketch.endUserEntities)
            activeHours = p.sketch.activeHourCount
            gapSpread = p.sketch.gapSpread
        }

        var singleShotSignal: Double { ramp(singleShot, 0.5, 0.9) }

        /// Long relative to the question: graded by length so that medium (300–500 token)
        /// reasoning answers count too, and by the answer/prompt ratio so that long inputs
        /// (RAG, summaries, few-shot evals, agents' growing context) do not.
        var longAnswersSignal: Double {
            let length = max(
                ramp(perAnswerCompletion, 150, 600), ramp(longOutput, 0.15, 0.5), ramp(hitMaxTokens, 0.1, 0.4))
            return length * ramp(outputRatio, 0.5, 2)
        }

        /// Prompts that keep being new; nil while there is too little to tell.
        var newPromptsSignal: Double? { novelty.map { ramp($0, 0.4, 0.85) } }

        /// The extraction shape per request, whatever the volume: single-shot, long answers, and
        /// prompts that keep being new. The score weighs novelty by how many distinct prompts
        /// there are; this does not, so that a hydra member of a few dozen requests, under any
        /// threshold of its own, still shows what it is doing (see `Clustering`'s suspects).
        var extractionPattern: Double {
            guard let new = newPromptsSignal else { return 0 }
            return cbrt(singleShotSignal * longAnswersSignal * new)
        }
    }

    /// The population an account is compared with: accounts with enough traffic to compare.
    struct Population {
        var completionPerDay: [Double]
        var requestsPerDay: [Double]

        init(_ measures: [Measures]) {
            completionPerDay = measures.map(\.completionPerDay).sorted()
            requestsPerDay = measures.map(\.requestsPerDay).sorted()
        }
    }

    /// Scores every profile, accounts and end users alike, then clusters and end users raise their accounts.
    public func assess(_ profiles: [AccountProfile]) -> [Assessment] {
        // Each account's measures and verdict are its own: computed on every core.
        let measures = concurrentMap(profiles.count) { Measures(profiles[$0]) }
        let population = Population(
            profiles.indices.filter { profiles[$0].parent == nil && measures[$0].requests >= 20 }.map { measures[$0] })
        var results = concurrentMap(profiles.count) { assess(profiles[$0], measures[$0], population: population) }
        // Accounts that look like harvesting but lack the evidence to be flagged alone (a hydra's
        // members each stay small) need less shared infrastructure to be scored together.
        let suspects = profiles.indices.map {
            results[$0].score >= policy.watch || measures[$0].extractionPattern >= Self.suspectPattern
        }
        applyClusters(&results, profiles: profiles, suspects: suspects, population: population)
        rollUpChildren(&results, profiles: profiles)
        return results
    }

    func assess(_ profile: AccountProfile, _ m: Measures, population: Population) -> Assessment {
        var reasons: [Reason] = []

        // The extraction shape: all three at once.
        let (single, long) = (m.singleShotSignal, m.longAnswersSignal)
        let novel = (m.newPromptsSignal ?? 0) * ramp(m.distinctPrompts, 30, 150)
        let shape = cbrt(single * long * novel)
        let relevant = shape > 0.25

        if long > 0.3 {
            reasons.append(
                Reason(
                    code: "long_answers",
                    summary:
                        "answers average \(Int(m.perAnswerCompletion)) tokens, \(format(m.outputRatio))× the prompt; "
                        + "\(pct(m.longOutput)) over 600 tokens, \(pct(m.hitMaxTokens)) hit max_tokens",
                    value: long))
        }
        if novel > 0.3, let novelty = m.novelty {
            reasons.append(
                Reason(
                    code: "novelty",
                    summary: "\(pct(novelty)) of recent prompts never sent before by this account, "
                        + "~\(Int(m.distinctPrompts)) distinct prompts in all",
                    value: novel))
        }
        if single > 0.3 && relevant {
            reasons.append(
                Reason(code: "single_shot", summary: "\(pct(m.singleShot)) single-shot requests", value: single))
        }

        // Elicitation: what a student model wants from its teacher.
        let reasoning = ramp(m.reasoning, 0.15, 0.6)
        // Several answers to one question at a sampling temperature: asked as `n > 1`, or as the
        // same prompt again the same day.
        let sampling = ramp(max(m.hotMultiSample, m.resampled), 0.1, 0.5)
        let logprobs = ramp(m.highTopLogprobs, 0.1, 0.5) * (1 - m.tinyOutput)
        let capability = ramp(m.capability, 0.4, 0.8)
        if reasoning > 0.3 {
            reasons.append(
                Reason(
                    code: "reasoning_elicitation",
                    summary: "\(pct(m.reasoning)) of requests ask for step-by-step reasoning",
                    value: reasoning))
        }
        if sampling > 0.3 {
            reasons.append(
                Reason(
                    code: "rejection_sampling",
                    summary: m.hotMultiSample >= m.resampled
                        ? "\(pct(m.hotMultiSample)) of requests ask n>1 samples at temperature ≥ 0.7"
                        : "~\(pct(m.resampled)) of requests sample again, at temperature ≥ 0.7, a prompt sent the same day",
                    value: sampling))
        }
        if logprobs > 0.3 {
            reasons.append(
                Reason(
                    code: "logprob_harvest",
                    summary: "\(pct(m.highTopLogprobs)) of requests ask top_logprobs ≥ 10 on full answers",
                    value: logprobs))
        }
        if capability > 0.3 && relevant {
            reasons.append(
                Reason(
                    code: "capability_focus", summary: "\(pct(m.capability)) of requests are math or code",
                    value: capability))
        }
        let elicitation = max(reasoning, sampling, logprobs, 0.6 * capability)

        // Scale and machine timing, relative to the population.
        let volumeRank = percentile(of: m.completionPerDay, in: population.completionPerDay)
        let volume = ramp(volumeRank, 0.5, 0.95)
        if volume > 0.3 && relevant {
            reasons.append(
                Reason(
                    code: "output_volume",
                    summary:
                        "completion tokens per day \(compact(m.completionPerDay)), above \(pct(volumeRank)) of accounts",
                    value: volume))
        }
        let roundTheClock = ramp(Double(m.activeHours), 16, 23)
        let regular = m.gapSpread.map { ramp(2.5 - $0, 0, 1.5) } ?? 0
        let machine = roundTheClock * max(regular, 0.5)
        if machine > 0.4 && relevant {
            reasons.append(
                Reason(
                    code: "machine_timing",
                    summary: "active \(m.activeHours) hours of 24"
                        + (m.gapSpread.map { ", regular arrivals (log-gap spread \(fixed($0, 2)))" } ?? ""),
                    value: machine))
        }
        let rateLimit = ramp(m.rateLimited, 0.02, 0.15)
        if rateLimit > 0.3 && relevant {
            reasons.append(
                Reason(
                    code: "rate_limit_riding", summary: "\(pct(m.rateLimited)) of requests hit the rate limit (429)",
                    value: rateLimit))
        }

        let pressure = max(volume, machine, rateLimit)
        var score = shape * (0.62 + 0.23 * elicitation + 0.2 * pressure)

        // Reward harvesting: the model as a grader, writing critiques and scores over an endless
        // stream of new answers, round the clock or at scale — unlike an eval's bounded judge runs
        // (short verdicts, repeated sets, bursts).
        let grading = ramp(m.judge, 0.4, 0.8) * ramp(m.perAnswerCompletion, 60, 250)
        let endless = m.novelty.map { ramp($0, 0.5, 0.9) * ramp(m.distinctPrompts, 200, 2000) } ?? 0
        let reward = grading * endless * pressure
        if reward > 0.3 {
            reasons.append(
                Reason(
                    code: "reward_harvest",
                    summary:
                        "\(pct(m.judge)) of requests grade answers with \(Int(m.perAnswerCompletion))-token critiques, "
                        + "\(pct(m.novelty ?? 0)) of them new, ~\(Int(m.distinctPrompts)) distinct",
                    value: reward))
            score = max(score, 0.9 * reward)
        }

        // Evidence that points the other way. Temperature 0 without round-the-clock traffic is an
        // evaluation run until it proves otherwise; an application serving many end users is
        // judged mostly by its end users (each scored on its own).
        let greedyRun = ramp(m.greedy, 0.5, 0.9) * (1 - roundTheClock)
        // Many relative to what the account's volume allows: a young application whose first
        // hundred requests come from a hundred people is as much one as a grown one with thousands.
        // But people come back: end users that almost never send a second request, once there are
        // enough requests to tell, are ids made up per request — the cheapest way to buy this very
        // credit — and earn none. Nearly one end user per request says so from 600 requests on; from
        // 200, when almost none of those end users was ever seen again (the sketch remembers the
        // last 256 seen once, so a young application's returning visitors are counted).
        let perRequest = ramp(m.endUsers / max(m.requests, 1), 0.6, 0.95)
        let neverBack = 1 - ramp(m.returningEndUsers / max(m.endUsers, 1), 0.03, 0.15)
        let newcomers = perRequest * max(ramp(m.requests, 150, 600), ramp(m.requests, 60, 200) * neverBack)
        let application = ramp(m.endUsers, 20, max(40, min(150, m.requests / 2))) * (1 - newcomers)
        reasons.sort { $0.value > $1.value }
        if greedyRun > 0.3 && score > 0.2 {
            reasons.append(
                Reason(
                    code: "greedy_decoding",
                    summary: "\(pct(m.greedy)) of requests at temperature 0, not round the clock (lowers the score)",
                    value: greedyRun))
        }
        // A key serving many end users is an application's key: judged like an application account.
        let mitigated = profile.kind == .endUser ? 0 : application
        if mitigated > 0.3 && score > 0.2 {
            reasons.append(
                Reason(
                    code: "many_end_users",
                    summary: "serves ~\(Int(m.endUsers)) end users, each scored on its own (lowers the score)",
                    value: application))
        }
        score *= (1 - 0.3 * greedyRun) * (1 - 0.5 * mitigated)
        score = min(1, max(0, score))
        return Assessment(
            account: profile.id, score: score,
            level: policy.level(
                for: score, requests: profile.totals[.requests], endUser: profile.kind == .endUser,
                activeHours: m.activeHours),
            reasons: reasons)
    }

    /// An `extractionPattern` at which an account is a suspect for linking: mostly single-shot,
    /// answers long for their prompts, and prompts mostly new.
    static let suspectPattern = 0.6

    /// Scores each cluster as one account; members of a harvesting cluster are flagged with the
    /// reason `cluster` even when each stays under the per-account evidence threshold.
    func applyClusters(
        _ results: inout [Assessment], profiles: [AccountProfile], suspects: [Bool], population: Population
    ) {
        let clusters = clustering.clusters(profiles, suspects: suspects)
        guard !clusters.isEmpty else { return }
        var members: [String: [Int]] = [:]
        for i in profiles.indices {
            if let cluster = clusters[profiles[i].id] { members[cluster, default: []].append(i) }
        }
        for (cluster, indices) in members {
            let combined = Clustering.combined(indices.map { profiles[$0] }, id: cluster)
            let verdict = assess(combined, Measures(combined), population: population)
            let sharedBy = Self.sharedEvidence(indices.map { profiles[$0].sketch })
            for i in indices {
                results[i].cluster = cluster
                guard verdict.level >= .review else { continue }
                let reason = Reason(
                    code: "cluster",
                    summary:
                        "one of \(indices.count) linked accounts (\(sharedBy)); together \(verdict.reasons.prefix(3).map(\.code).joined(separator: ", ")), "
                        + "\(compact(Double(combined.totals[.requests]))) requests, cluster score \(format(verdict.score))",
                    value: verdict.score)
                results[i].reasons.insert(reason, at: 0)
                if verdict.score > results[i].score { results[i].score = verdict.score }
                results[i].level = max(results[i].level, verdict.level)
            }
        }
    }

    /// What the members of a cluster have in common, in words.
    static func sharedEvidence(_ sketches: [AccountSketch]) -> String {
        func common(_ sets: [[UInt64]]) -> Bool {
            guard var shared = sets.first.map(Set.init) else { return false }
            for set in sets.dropFirst() {
                let overlap = shared.intersection(set)
                if overlap.isEmpty { return false }
                shared = overlap
            }
            return true
        }
        var parts: [String] = []
        if common(sketches.map(\.networks.members)) { parts.append("network") }
        if common(sketches.map(\.userAgents.members)) { parts.append("user agent") }
        if common(sketches.map { $0.systemPrompts.entries.map(\.key) }) { parts.append("system prompt") }
        if common(sketches.map { $0.templates.entries.map(\.key) }) { parts.append("template") }
        return parts.isEmpty ? "overlapping networks, agents and prompts" : "sharing " + parts.joined(separator: ", ")
    }

    /// An account inherits the worst of its flagged end users (reason `end_user`) and of its
    /// flagged API keys (reason `api_key`).
    func rollUpChildren(_ results: inout [Assessment], profiles: [AccountProfile]) {
        var index: [String: Int] = [:]
        for i in profiles.indices where profiles[i].parent == nil { index[profiles[i].id] = i }
        // Kind → account → its flagged children.
        var flagged: [EntityKind: [Int: [Int]]] = [:]
        for i in profiles.indices where results[i].level >= .review {
            guard let parent = profiles[i].parent, let p = index[parent] else { continue }
            flagged[profiles[i].kind, default: [:]][p, default: []].append(i)
        }
        // Keys first: each reason goes in front, so `end_user` leads when an account has both.
        for kind in [EntityKind.apiKey, .endUser] {
            for (p, children) in flagged[kind] ?? [:] {
                // Ties go to the first id: profiles come in storage order, which is not stable.
                let worst = children.max { a, b in
                    results[a].score != results[b].score
                        ? results[a].score < results[b].score : profiles[a].id > profiles[b].id
                }!
                let name = profiles[worst].id.dropFirst(profiles[p].id.count + 2)
                let what = kind == .apiKey ? "API key" : "end user"
                let reason = Reason(
                    code: kind == .apiKey ? "api_key" : "end_user",
                    summary: "\(children.count) \(what)\(children.count == 1 ? "" : "s") look like harvesting; "
                        + "worst \(name) (score \(format(results[worst].score)): "
                        + "\(results[worst].reasons.prefix(3).map(\.code).joined(separator: ", ")))",
                    value: results[worst].score)
                results[p].reasons.insert(reason, at: 0)
                results[p].score = max(results[p].score, results[worst].score)
                results[p].level = max(results[p].level, results[worst].level)
            }
        }
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
    return (value >= 99.95 || value < 10 ? fixed(value, 1) : fixed(value, 0)) + "%"
}

func format(_ x: Double) -> String { fixed(x, x >= 10 ? 0 : 2) }

/// 2_100_000 → "2.1M".
func compact(_ x: Double) -> String {
    switch x {
    case 1e9...: return fixed(x / 1e9, 1) + "G"
    case 1e6...: return fixed(x / 1e6, 1) + "M"
    case 1e3...: return fixed(x / 1e3, 1) + "k"
    default: return fixed(x, 0)
    }
}

/// `x` with 0, 1 or 2 decimals, half away from zero: what `String(format: "%.Nf")` prints but
/// for exact ties, without its cost (a pass formats numbers for every account).
func fixed(_ x: Double, _ decimals: Int) -> String {
    let scale: Int64 = decimals <= 0 ? 1 : decimals == 1 ? 10 : 100
    let scaled = (abs(x) * Double(scale)).rounded()
    guard x.isFinite, scaled < 1e17 else { return String(format: "%.\(max(0, min(decimals, 2)))f", x) }
    let units = Int64(scaled)
    var text = (x < 0 && units != 0 ? "-" : "") + String(units / scale)
    if scale > 1 {
        let fraction = String(units % scale)
        text += "." + String(repeating: "0", count: String(scale - 1).count - fraction.count) + fraction
    }
    return text
}

/// `(0..<count).map(transform)`, on every core: `transform` must be pure.
func concurrentMap<T: Sendable>(_ count: Int, _ transform: @Sendable (Int) -> T) -> [T] {
    let parts = min(Cores.available * 4, count / 512)
    guard parts > 1 else { return (0..<count).map(transform) }
    return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
        let output = UncheckedBuffer(base: buffer.baseAddress!)
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            for i in (count * part / parts)..<(count * (part + 1) / parts) {
                (output.base + i).initialize(to: transform(i))
            }
        }
        initialized = count
    }
}

/// The output of `concurrentMap`: each index is written by exactly one part.
private struct UncheckedBuffer<T>: @unchecked Sendable {
    let base: UnsafeMutablePointer<T>
}
