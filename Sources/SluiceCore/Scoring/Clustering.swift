import Foundation

/// Links accounts that look like one operator spread over many accounts (a "hydra"): shared
/// client networks, user agents, system prompts and templates, active in the same hours.
///
/// Evidence is weighted by rarity — a value many unrelated accounts share (a cloud NAT, the
/// default `python-requests` agent) says little — and two accounts are linked only when the
/// evidence adds up over at least two kinds, one of them shared infrastructure (a network or a
/// client): content alone — a system prompt and a template — is what customers of the same
/// application, or users of a default prompt, share with strangers. Union–find turns links into clusters.
public struct Clustering: Sendable {
    public var minimumRequests: Int64 = 20
    /// Accounts with fewer requests than `minimumRequests`, but at least this many, join the
    /// clusters that accounts of `minimumRequests` form and never form one themselves: a hydra's
    /// newest accounts are seen with it, and a few small accounts behind one address are no cluster.
    public var minimumJoinerRequests: Int64 = 5
    /// Accounts of `minimumRequests` a cluster needs.
    public var minimumMembers = 3
    /// A value shared by more accounts than this is too common to be evidence.
    public var maximumSharing = 400
    /// Weighted evidence of two kinds plus schedule similarity needed for a link.
    public var linkThreshold = 0.9
    /// The same, between two accounts that each already look like harvesting (`suspects`) but
    /// lack the evidence to be flagged alone: two kinds of shared infrastructure (a network and a
    /// client) and a closely matching schedule are enough to score them together. An account
    /// that does not look like harvesting is linked only at `linkThreshold`, so a harvester
    /// cannot pull its neighbours behind a NAT into its cluster.
    public var suspectLinkThreshold = 0.75

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

        var isInfrastructure: Bool { self == .network || self == .userAgent }
    }

    /// Cluster id per linked account (accounts in no cluster are absent).
    ///
    /// Linear in the number of accounts: accounts are grouped by each shared value, and inside a
    /// group by each value of another kind, so two kinds of shared evidence are found without
    /// enumerating pairs (a hydra of thousands on one network stays cheap).
    ///
    /// - Parameters:
    ///   - profiles: every entity of the pass; only accounts with enough requests take part.
    ///   - suspects: per profile, whether it looks like harvesting on its own (empty: none does).
    public func clusters(_ profiles: [AccountProfile], suspects: [Bool] = []) -> [String: String] {
        @Sendable func isMember(_ profile: AccountProfile) -> Bool {
            profile.parent == nil && profile.totals[.requests] >= minimumJoinerRequests
        }
        func isFull(_ i: Int) -> Bool { profiles[i].totals[.requests] >= minimumRequests }
        let members = profiles.indices.filter { isMember(profiles[$0]) }
        guard members.lazy.filter(isFull).count >= minimumMembers else { return [:] }

        // Each account's evidence: a few values of each kind. Arrays in profile order, never a
        // dictionary's: the same profiles must give the same clusters in every process.
        let evidence = concurrentMap(profiles.count) { isMember(profiles[$0]) ? Self.values(of: profiles[$0]) : [] }
        // Holders of each value, for rarity and grouping, in ascending profile order.
        struct Key: Hashable {
            let kind: Int
            let value: UInt64
        }
        var holders: [Key: [Int]] = [:]
        holders.reserveCapacity(members.count * 4)
        for i in members {
            for item in evidence[i] { holders[Key(kind: item.kind.rawValue, value: item.value), default: []].append(i) }
        }
        func rarity(_ count: Int) -> Double { 1.0 / (1.0 + log2(Double(count)) / 8) }

        var parent = Array(0..<profiles.count)
        func find(_ x: Int) -> Int {
            var x = x
            while parent[x] != x {
                parent[x] = parent[parent[x]]
                x = parent[x]
            }
            return x
        }
        for (key, group) in holders where group.count >= 2 && group.count <= maximumSharing {
            // Evidence kinds are ordered infrastructure first, so a link's first kind is infrastructure.
            guard let kind = Evidence(rawValue: key.kind), kind.isInfrastructure else { continue }
            let first = kind.weight * rarity(group.count)
            // Inside the group, accounts that also share a value of a later kind.
            var subgroups: [Key: [Int]] = [:]
            for i in group {
                for item in evidence[i] where item.kind.rawValue > key.kind {
                    subgroups[Key(kind: item.kind.rawValue, value: item.value), default: []].append(i)
                }
            }
            for (subkey, linked) in subgroups where linked.count >= 2 {
                guard let second = Evidence(rawValue: subkey.kind),
                    let count = holders[subkey]?.count, count <= maximumSharing
                else { continue }
                let weight = first + second.weight * rarity(count)
                // Working the same hours is the last piece of evidence, not a link by itself.
                let schedule = Self.meanSchedule(linked.map { profiles[$0].sketch.hourOfDay })
                // Only the members whose own evidence reaches the threshold are linked, to each
                // other; suspects also at the lower threshold, to each other. An account that does not
                // look like harvesting is linked only through a network it shares: a client string
                // is every user of one SDK's, and with a default system prompt it is half of them.
                var anchor: Int?
                var suspectAnchor: Int?
                func join(_ i: Int, _ anchor: inout Int?) {
                    guard let first = anchor else {
                        anchor = i
                        return
                    }
                    let ra = find(i)
                    let rb = find(first)
                    if ra != rb { parent[max(ra, rb)] = min(ra, rb) }
                }
                for i in linked {
                    let evidence = weight + 0.3 * Self.similarity(profiles[i].sketch.hourOfDay, schedule)
                    if evidence >= linkThreshold && kind == .network { join(i, &anchor) }
                    if evidence >= suspectLinkThreshold, i < suspects.count, suspects[i] { join(i, &suspectAnchor) }
                }
            }
        }

        var groups: [Int: [Int]] = [:]
        for i in members { groups[find(i), default: []].append(i) }
        var result: [String: String] = [:]
        for (_, group) in groups where group.lazy.filter(isFull).count >= minimumMembers {
            let ids = group.map { profiles[$0].id }
            let name = "c-" + String(TextSketch.hash(ids.min()!) >> 40, radix: 16)
            for id in ids { result[id] = name }
        }
        return result
    }

    /// The evidence values of one account: its networks and user agents (the first few), its main
    /// system prompts — exactly, and by four 16-bit bands of the SimHash so that paraphrases that
    /// differ in a few bits still meet — and its main templates.
    static func values(of profile: AccountProfile) -> [(kind: Evidence, value: UInt64)] {
        let requests = profile.totals[.requests]
        var result: [(kind: Evidence, value: UInt64)] = []
        for value in profile.sketch.networks.members.prefix(8) { result.append((.network, value)) }
        for value in profile.sketch.userAgents.members.prefix(4) { result.append((.userAgent, value)) }
        for entry in profile.sketch.systemPrompts.entries where entry.count * 10 >= requests {
            result.append((.systemPrompt, entry.key))
            for band in 0..<4 {
                let bits = (entry.key >> UInt64(band * 16)) & 0xFFFF
                result.append((.systemPrompt, TextSketch.mix(0x5b5 ^ UInt64(band + 1) << 20 ^ bits)))
            }
        }
        for entry in profile.sketch.templates.entries where entry.count >= 3 && entry.count * 20 >= requests {
            result.append((.template, entry.key))
        }
        // One value once per kind: a prompt's bands may coincide with nothing, but never twice.
        var seen = Set<UInt64>()
        return result.filter { seen.insert(TextSketch.mix($0.value ^ UInt64($0.kind.rawValue))).inserted }
    }

    /// The accounts' hour-of-day profiles, each normalised, summed.
    static func meanSchedule(_ schedules: [[Int64]]) -> [Double] {
        var mean = [Double](repeating: 0, count: 24)
        for hours in schedules {
            let total = Double(max(hours.reduce(0, +), 1))
            for h in 0..<24 { mean[h] += Double(hours[h]) / total }
        }
        return mean
    }

    /// Cosine similarity of an hour-of-day profile with a reference profile, in [0, 1].
    static func similarity(_ hours: [Int64], _ reference: [Double]) -> Double {
        var dot = 0.0
        var na = 0.0
        var nb = 0.0
        for h in 0..<24 {
            let x = Double(hours[h])
            dot += x * reference[h]
            na += x * x
            nb += reference[h] * reference[h]
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
