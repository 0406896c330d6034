import Foundation

/// Links accounts that look like one operator spread over many accounts (a "hydra"): shared
/// client networks, user agents, system prompts and templates, active in the same hours.
///
/// Evidence is weighted by rarity — a value many unrelated accounts share (a cloud NAT, the
/// default `python-requests` agent) says little — and two accounts are linked only when the
/// evidence adds up over at least two kinds. Union–find turns links into clusters.
public struct Clustering: Sendable {
    public var minimumRequests: Int64 = 20
    public var minimumMembers = 3
    /// A value shared by more accounts than this is too common to be evidence.
    public var maximumSharing = 400
    public var linkThreshold = 1.0

    public init() {}

    enum Evidence: Int, CaseIterable {
        case network, userAgent, systemPrompt, template

        var weight: Double {
            switch self {
            case .network: return 0.45
            case .userAgent: return 0.3
            case .systemPrompt: return 0.6
            case .template: return 0.4
            }
        }
    }

    /// Cluster id per linked account (accounts in no cluster are absent).
    public func clusters(_ profiles: [AccountProfile]) -> [String: String] {
        let members = profiles.indices.filter {
            profiles[$0].parent == nil && profiles[$0].totals[.requests] >= minimumRequests
        }
        guard members.count >= minimumMembers else { return [:] }

        // Inverted index: (kind, value) → accounts holding it.
        var index: [Int: [UInt64: [Int]]] = [:]
        func add(_ kind: Evidence, _ value: UInt64, _ account: Int) {
            index[kind.rawValue, default: [:]][value, default: []].append(account)
        }
        for i in members {
            let sketch = profiles[i].sketch
            for value in sketch.networks.members { add(.network, value, i) }
            for value in sketch.userAgents.members { add(.userAgent, value, i) }
            // Identical system prompts by exact SimHash; near-identical ones are matched below.
            for entry in sketch.systemPrompts.entries where entry.count * 10 >= profiles[i].totals[.requests] {
                add(.systemPrompt, entry.key, i)
            }
            for entry in sketch.templates.entries
            where entry.count >= 3 && entry.count * 20 >= profiles[i].totals[.requests] {
                add(.template, entry.key, i)
            }
        }

        // Pairwise evidence from every shared value, rarer values weighing more.
        struct Pair: Hashable {
            let a: Int
            let b: Int
        }
        var evidence: [Pair: (score: Double, kinds: UInt8)] = [:]
        for kind in Evidence.allCases {
            for (_, holders) in index[kind.rawValue] ?? [:] where holders.count >= 2 && holders.count <= maximumSharing
            {
                let rarity = 1.0 / (1.0 + log2(Double(holders.count)) / 8)
                for x in 0..<holders.count {
                    for y in (x + 1)..<holders.count {
                        let pair = Pair(a: min(holders[x], holders[y]), b: max(holders[x], holders[y]))
                        var current = evidence[pair] ?? (0, 0)
                        if current.kinds & (1 << UInt8(kind.rawValue)) == 0 {
                            current.score += kind.weight * rarity
                            current.kinds |= 1 << UInt8(kind.rawValue)
                        }
                        evidence[pair] = current
                    }
                }
            }
        }

        // Paraphrased system prompts differ in a few SimHash bits only: among pairs that already
        // share something, near-identical system prompts count as shared.
        let systemBit = UInt8(1 << Evidence.systemPrompt.rawValue)
        for (pair, found) in evidence where found.kinds & systemBit == 0 {
            if Self.nearDuplicateSystemPrompts(profiles[pair.a].sketch, profiles[pair.b].sketch) {
                evidence[pair] = (found.score + 0.8 * Evidence.systemPrompt.weight, found.kinds | systemBit)
            }
        }

        var parent = Array(0..<profiles.count)
        func find(_ x: Int) -> Int {
            var x = x
            while parent[x] != x {
                parent[x] = parent[parent[x]]
                x = parent[x]
            }
            return x
        }
        for (pair, found) in evidence where found.kinds.nonzeroBitCount >= 2 {
            // Working the same hours is the last piece of evidence, not a link by itself.
            let schedule = Self.scheduleSimilarity(profiles[pair.a].sketch, profiles[pair.b].sketch)
            if found.score + 0.3 * schedule >= linkThreshold {
                let ra = find(pair.a)
                let rb = find(pair.b)
                if ra != rb { parent[max(ra, rb)] = min(ra, rb) }
            }
        }

        var groups: [Int: [Int]] = [:]
        for i in members { groups[find(i), default: []].append(i) }
        var result: [String: String] = [:]
        for (_, group) in groups where group.count >= minimumMembers {
            let ids = group.map { profiles[$0].id }
            let name = "c-" + String(TextSketch.hash(ids.min()!) >> 40, radix: 16)
            for id in ids { result[id] = name }
        }
        return result
    }

    /// Whether two accounts' main system prompts are within `maximumDistance` SimHash bits.
    static func nearDuplicateSystemPrompts(_ a: AccountSketch, _ b: AccountSketch, maximumDistance: Int = 16) -> Bool {
        for x in a.systemPrompts.entries {
            for y in b.systemPrompts.entries where TextSketch.distance(x.key, y.key) <= maximumDistance {
                return true
            }
        }
        return false
    }

    /// Cosine similarity of hour-of-day profiles, in [0, 1].
    static func scheduleSimilarity(_ a: AccountSketch, _ b: AccountSketch) -> Double {
        var dot = 0.0
        var na = 0.0
        var nb = 0.0
        for h in 0..<24 {
            let x = Double(a.hourOfDay[h])
            let y = Double(b.hourOfDay[h])
            dot += x * y
            na += x * x
            nb += y * y
        }
        guard na > 0, nb > 0 else { return 0 }
        return dot / (na.squareRoot() * nb.squareRoot())
    }

    /// The members of a cluster added up into one profile, scored like an account.
    public static func combined(_ members: [AccountProfile], id: String) -> AccountProfile {
        var totals = Counters()
        var sketch = AccountSketch()
        for member in members {
            totals += member.totals
            sketch.merge(member.sketch)
        }
        return AccountProfile(id: id, totals: totals, sketch: sketch)
    }
}
