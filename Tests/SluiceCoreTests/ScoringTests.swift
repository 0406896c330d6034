import Foundation
import Testing

@testable import SluiceCore

/// Builds a profile by feeding requests through the real feature extraction and aggregation.
struct ProfileBuilder {
    var totals = Counters()
    var sketch = AccountSketch()
    /// End users given an entity, as `BatchAggregate` does: their later requests do not ask again.
    var endUserEntities: Set<UInt64> = []
    let id: String

    init(_ id: String) { self.id = id }

    mutating func add(_ record: RequestRecord) {
        let features = RequestFeatures(record)
        let observation = sketch.absorb(record, features)
        totals += Counters.of(record, features, observation)
        if let endUser = features.identity.endUser, !endUserEntities.contains(endUser), sketch.admitsEndUser(endUser) {
            endUserEntities.insert(endUser)
        }
    }

    var profile: AccountProfile { AccountProfile(id: id, totals: totals, sketch: sketch) }
}

let day0 = 1_795_564_800.0

/// `count` accounts `a0`, `a1`, … of `requests` requests each: `record(account, i)` is account's i-th.
func accounts(_ count: Int, requests: Int, _ record: (Int, Int) -> RequestRecord) -> [AccountProfile] {
    (0..<count).map { m in
        var b = ProfileBuilder("a\(m)")
        for i in 0..<requests { b.add(record(m, i)) }
        return b.profile
    }
}

/// A single-shot harvester: distinct questions, a reasoning system prompt, long answers.
func harvester(
    _ id: String, requests: Int, ip: String = "198.51.100.7", agent: String = "python-httpx/0.27", offset: Int = 0,
    spacing: Double = 40
) -> AccountProfile {
    var b = ProfileBuilder(id)
    for record in harvesterRecords(id, requests: requests, ip: ip, agent: agent, offset: offset, spacing: spacing) {
        b.add(record)
    }
    return b.profile
}

func harvesterRecords(
    _ id: String, requests: Int, ip: String = "198.51.100.7", agent: String = "python-httpx/0.27", offset: Int = 0,
    spacing: Double = 40
) -> [RequestRecord] {
    (0..<requests).map { i in
        RequestRecord(
            time: day0 + Double(i) * spacing, account: id, ip: ip, userAgent: agent, promptTokens: 60,
            completionTokens: 900 + (i % 7) * 50, temperature: 0.9, maxTokens: 1024,
            messages: [
                ChatMessage(
                    role: "system",
                    text: "You are an expert tutor. Think step by step and show your full reasoning."),
                ChatMessage(
                    role: "user",
                    text:
                        "Problem \(i + offset): a train leaves station \(i + offset) at \(i % 12) o'clock; how far has it gone?"
                ),
            ])
    }
}

/// An evaluation harness: the same few-shot benchmark prompts, temperature 0, run on several days.
func evalHarness(_ id: String, runs: Int, items: Int) -> AccountProfile {
    var b = ProfileBuilder(id)
    let shots = String(
        repeating: "Q: a worked example question. A: let's think step by step ... the answer is 4.\n", count: 8)
    for run in 0..<runs {
        for i in 0..<items {
            b.add(
                RequestRecord(
                    time: day0 + Double(run) * 86400 + Double(i) * 3, account: id, ip: "192.0.2.10",
                    userAgent: "lm-eval/0.4",
                    promptTokens: 900, completionTokens: 180, temperature: 0, maxTokens: 256,
                    messages: [ChatMessage(role: "user", text: shots + "Q: benchmark item \(i). A:")]))
        }
    }
    return b.profile
}

/// A judge: max_tokens 1 with logprobs over new answers.
func judge(_ id: String, requests: Int) -> AccountProfile {
    var b = ProfileBuilder(id)
    for i in 0..<requests {
        b.add(
            RequestRecord(
                time: day0 + Double(i) * 20, account: id, promptTokens: 700, completionTokens: 1, temperature: 0,
                maxTokens: 1,
                logprobs: true, topLogprobs: 5,
                messages: [
                    ChatMessage(
                        role: "user",
                        text:
                            "Which response is better, (a) or (b)? Output (a): answer \(i). Output (b): answer \(i * 7)."
                    )
                ]))
    }
    return b.profile
}

/// A chat user: multi-turn conversations in the daytime.
func chatUser(_ id: String, conversations: Int) -> AccountProfile {
    var b = ProfileBuilder(id)
    for c in 0..<conversations {
        var messages: [ChatMessage] = []
        for turn in 0..<4 {
            messages.append(ChatMessage(role: "user", text: "conversation \(c) question \(turn) about my garden"))
            b.add(
                RequestRecord(
                    time: day0 + Double(c) * 900 + Double(turn) * 60, account: id, promptTokens: 40 + turn * 300,
                    completionTokens: 250, messages: messages))
            messages.append(ChatMessage(role: "assistant", text: "an answer"))
        }
    }
    return b.profile
}

@Suite struct ScoringTests {
    @Test func flagsAHarvesterWithItsReasonsAndLeavesHeavyBenignUsersAlone() throws {
        let profiles = [
            harvester("harvester", requests: 1500), evalHarness("eval", runs: 3, items: 500),
            judge("judge", requests: 3000),
            chatUser("chat", conversations: 100),
        ]
        let results = Dictionary(uniqueKeysWithValues: Scorer().assess(profiles).map { ($0.account, $0) })
        let h = try #require(results["harvester"])
        #expect(h.level >= .review)
        let codes = Set(h.reasons.map(\.code))
        #expect(codes.isSuperset(of: ["long_answers", "novelty", "single_shot", "reasoning_elicitation"]))
        #expect(h.reasons.allSatisfy { !$0.summary.isEmpty && (0...1).contains($0.value) })
        for benign in ["eval", "judge", "chat"] {
            #expect(results[benign]!.level < .review, "\(benign) scored \(results[benign]!.score)")
        }
    }

    @Test func tooLittleEvidenceIsAtMostWatch() throws {
        let small = try #require(Scorer().assess([harvester("small", requests: 60)]).first)
        #expect(small.level <= .watch)
        // Plenty of requests, but all in one burst: one sitting is not yet a pattern.
        let burst = try #require(Scorer().assess([harvester("burst", requests: 1500, spacing: 2)]).first)
        #expect(burst.score >= 0.55 && burst.level == .watch)
    }

    @Test func linksAHydraAndFlagsEveryMemberWithClusterReason() throws {
        // Thirty small accounts from one network and client, one prompt set split between them,
        // each sending a request every 15 minutes.
        var profiles = (0..<30).map {
            harvester("member\($0)", requests: 40, ip: "203.0.113.\($0 + 1)", offset: $0 * 1000, spacing: 900)
        }
        profiles += (0..<10).map { chatUser("chat\($0)", conversations: 20) }
        let results = Scorer().assess(profiles)
        let members = results.filter { $0.account.hasPrefix("member") }
        #expect(members.allSatisfy { $0.level >= .review && $0.reasons.first?.code == "cluster" })
        #expect(Set(members.compactMap(\.cluster)).count == 1)
        #expect(results.filter { $0.account.hasPrefix("chat") }.allSatisfy { $0.level < .review })
    }

    /// Small accounts, each with its own system prompt, on two networks and one client, around the
    /// clock: only infrastructure and schedule in common. Each looks like harvesting but has too
    /// little evidence alone; together they are one operator.
    func hydraSharingOnlyInfrastructure(members: Int, requests: Int = 60) -> [AccountProfile] {
        // Words drawn from a fixed generator: no two prompts share a frame, no two members a system prompt.
        var state: UInt64 = 0x9e37_79b9_7f4a_7c15
        func words(_ count: Int) -> String {
            (0..<count).map { _ in
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return "w" + String(state >> 52, radix: 36)
            }.joined(separator: " ")
        }
        return (0..<members).map { m in
            let system = words(14)
            var b = ProfileBuilder("h\(m)")
            for i in 0..<requests {
                b.add(
                    RequestRecord(
                        time: day0 + Double(i) * 108_000 / Double(requests) + Double(m) * 7, account: "h\(m)",
                        ip: "198.51.\(100 + m % 2).\(m + 1)", userAgent: "AsyncClient/2.1", promptTokens: 80,
                        completionTokens: 900 + (i % 5) * 60, temperature: 0.8, maxTokens: 4096,
                        messages: [
                            ChatMessage(role: "system", text: system),
                            ChatMessage(role: "user", text: words(16)),
                        ]))
            }
            return b.profile
        }
    }

    @Test func accountsThatEachLookLikeHarvestingAreLinkedByNetworkClientAndSchedule() throws {
        let hydra = hydraSharingOnlyInfrastructure(members: 12)
        // Alone, each looks like harvesting but has not the evidence to be flagged.
        for member in hydra {
            let alone = try #require(Scorer().assess([member]).first)
            #expect(alone.score >= ScoringPolicy().watch && alone.level == .watch, "\(alone.account): \(alone.score)")
        }
        let profiles = hydra + (0..<6).map { chatUser("chat\($0)", conversations: 20) }
        let results = Scorer().assess(profiles)
        let members = results.filter { $0.account.hasPrefix("h") }
        // Without suspicion, a network and a client are not enough to link anyone.
        #expect(Clustering().clusters(profiles).isEmpty)
        #expect(members.allSatisfy { $0.level >= .review && $0.reasons.first?.code == "cluster" })
        #expect(Set(members.compactMap(\.cluster)).count <= 2)
    }

    @Test func aHydraOfAFewDozenRequestsAMemberIsSeenWhole() throws {
        // 25 requests each: too few distinct prompts for a member to score at all alone, but each
        // shows the extraction pattern, and forty of them are a thousand requests together.
        let hydra = hydraSharingOnlyInfrastructure(members: 40, requests: 25)
        for member in hydra.prefix(3) {
            #expect(try #require(Scorer().assess([member]).first).level == .none)
        }
        let results = Scorer().assess(hydra + (0..<6).map { chatUser("chat\($0)", conversations: 20) })
        let members = results.filter { $0.account.hasPrefix("h") }
        #expect(members.allSatisfy { $0.level >= .review && $0.reasons.first?.code == "cluster" })
        #expect(results.filter { $0.account.hasPrefix("chat") }.allSatisfy { $0.level < .review })
    }

    @Test func aHydrasNewestAccountsJoinItsClusterButNeverFormOne() throws {
        // Twelve members of 60 requests and eight replacements that have sent 12 each so far:
        // the same network, client and schedule, the same extraction pattern.
        let members = hydraSharingOnlyInfrastructure(members: 12)
        let newest = hydraSharingOnlyInfrastructure(members: 20, requests: 12).suffix(8)
        let chat = (0..<6).map { chatUser("chat\($0)", conversations: 20) }
        let results = Scorer().assess(members + newest + chat)
        for id in newest.map(\.id) {
            let young = try #require(results.first { $0.account == id })
            #expect(young.level >= .review && young.reasons.first?.code == "cluster", "\(id): \(young.score)")
        }
        // Young accounts alone, however alike, are no cluster: each has too little to be judged by.
        let youngOnly = hydraSharingOnlyInfrastructure(members: 20, requests: 12)
        #expect(Scorer().assess(youngOnly + chat).allSatisfy { $0.cluster == nil && $0.level < .review })
    }

    @Test func aHarvesterDoesNotPullItsNeighboursBehindANATIntoItsCluster() throws {
        // Office chat users on the hydra's network and client, at the same hours: they share its
        // infrastructure, but do not look like harvesting, so weak evidence does not link them.
        var profiles = hydraSharingOnlyInfrastructure(members: 12)
        for c in 0..<8 {
            var b = ProfileBuilder("office\(c)")
            for conversation in 0..<30 {
                var messages: [ChatMessage] = []
                for turn in 0..<3 {
                    messages.append(
                        ChatMessage(role: "user", text: "office \(c) conversation \(conversation) turn \(turn)"))
                    b.add(
                        RequestRecord(
                            time: day0 + Double(conversation) * 1800 + Double(turn) * 90, account: "office\(c)",
                            ip: "198.51.100.\(200 + c)", userAgent: "AsyncClient/2.1", promptTokens: 200 + 300 * turn,
                            completionTokens: 300, messages: messages))
                    messages.append(ChatMessage(role: "assistant", text: "an answer"))
                }
            }
            profiles.append(b.profile)
        }
        let results = Scorer().assess(profiles)
        #expect(results.filter { $0.account.hasPrefix("h") }.allSatisfy { $0.level >= .review })
        for office in results where office.account.hasPrefix("office") {
            #expect(office.cluster == nil && office.level < .review, "\(office.account): \(office.reasons.map(\.code))")
        }
    }

    @Test func paraphrasedSystemPromptsStillLinkAHydraAcrossNetworks() throws {
        // Two networks, two clients, one system prompt lightly reworded per member.
        let base =
            "You are an expert tutor. Think step by step and show your full reasoning before the final answer. Be thorough and precise in every step of the derivation."
        var profiles: [AccountProfile] = []
        for m in 0..<12 {
            var b = ProfileBuilder("h\(m)")
            let system = base + (m % 2 == 0 ? " Thanks." : " Please.")
            for i in 0..<40 {
                b.add(
                    RequestRecord(
                        time: day0 + Double(i) * 600, account: "h\(m)", ip: "198.51.\(100 + m % 2).\(m + 1)",
                        userAgent: m % 2 == 0 ? "python-httpx/0.27" : "aiohttp/3.9", promptTokens: 60,
                        completionTokens: 900,
                        temperature: 0.9,
                        messages: [
                            ChatMessage(role: "system", text: system),
                            ChatMessage(role: "user", text: "task \(m * 1000 + i) asks something new"),
                        ]))
            }
            profiles.append(b.profile)
        }
        let clusters = Clustering().clusters(profiles)
        // Members on one network and client are linked; the system prompt joins the two halves
        // only where a pair also shares something else, so expect at least the two halves.
        #expect(clusters.count == 12)
        #expect(Set(clusters.values).count <= 2)
    }

    @Test func accountsThatShareOnlyContentAreNotLinked() {
        // Customers of one copywriting app: its system prompt and template, the same office
        // hours, long new answers — but each on its own network and client. With one client
        // shared too, accounts that each look like harvesting are one operator's.
        func customers(agent: @escaping (Int) -> String) -> [AccountProfile] {
            accounts(8, requests: 120) { m, i in
                RequestRecord(
                    time: day0 + Double(i / 12) * 86400 + 9 * 3600 + Double(i % 12) * 2400,
                    account: "a\(m)", ip: "10.\(m).0.1", userAgent: agent(m), promptTokens: 60,
                    completionTokens: 900, temperature: 0.8,
                    messages: [
                        ChatMessage(role: "system", text: "You are an expert copywriter. Write engaging content."),
                        ChatMessage(
                            role: "user",
                            text: "Write a 500-word blog post about the following topic. Topic: item \(m * 1000 + i)."),
                    ])
            }
        }
        #expect(
            Clustering().clusters(customers { "app-\($0)/1.0" }, suspects: Array(repeating: true, count: 8)).isEmpty)
        #expect(
            Clustering().clusters(customers { _ in "copybot/2.1" }, suspects: Array(repeating: true, count: 8)).count
                == 8)
    }

    @Test func clustersDoNotDependOnTheOrderOfProfiles() {
        var profiles = (0..<12).map {
            harvester("m\($0)", requests: 60, ip: "198.51.100.\($0 + 1)", offset: $0 * 1000, spacing: 300)
        }
        profiles += (0..<6).map { chatUser("chat\($0)", conversations: 20) }
        let clusters = Clustering().clusters(profiles)
        #expect(clusters.count == 12)
        #expect(Clustering().clusters(profiles.reversed()) == clusters)
        // Every 7th, wrapping round: 7 and 18 share no factor, so this visits each profile once.
        let interleaved = profiles.indices.map { profiles[($0 * 7) % profiles.count] }
        #expect(Clustering().clusters(interleaved) == clusters)
    }

    @Test func unrelatedAccountsOnACommonClientAreNotClustered() {
        // Same user agent, different networks, prompts and schedules: one kind of evidence only.
        var profiles: [AccountProfile] = []
        for i in 0..<20 {
            var b = ProfileBuilder("acct\(i)")
            for j in 0..<50 {
                b.add(
                    RequestRecord(
                        time: day0 + Double(i * 3600 + j * 30), account: "acct\(i)", ip: "10.\(i).0.1",
                        userAgent: "openai-python/1.50",
                        promptTokens: 100, completionTokens: 100,
                        messages: [ChatMessage(role: "user", text: "account \(i) asks thing \(j) of its own kind")]))
            }
            profiles.append(b.profile)
        }
        #expect(Clustering().clusters(profiles).isEmpty)
    }

    @Test func usersOfOneClientAndTheDefaultSystemPromptAreNotLinked() {
        // Six developers on the same SDK with its default system prompt, at the same hours, each
        // from home: a client and a system prompt, and nothing of an operator. From one office
        // network, the same six are linked (a team, scored as one).
        func developers(ip: @escaping (Int) -> String) -> [AccountProfile] {
            accounts(6, requests: 40) { m, i in
                RequestRecord(
                    time: day0 + Double(i / 8) * 86400 + 10 * 3600 + Double(i % 8) * 1800,
                    account: "a\(m)", ip: ip(m), userAgent: "python-httpx/0.27.0", promptTokens: 200,
                    completionTokens: 150,
                    messages: [
                        ChatMessage(role: "system", text: "You are a helpful assistant."),
                        ChatMessage(role: "user", text: "developer \(m) asks question \(i) about their code"),
                    ])
            }
        }
        #expect(Clustering().clusters(developers { "10.\($0).0.1" }).isEmpty)
        #expect(Clustering().clusters(developers { "192.0.2.\($0 + 1)" }).count == 6)
    }

    /// The same harvesting traffic, its `user` field filled two ways: 300 people who come back,
    /// or an id made up for every request (the cheapest evasion of the end-user credit).
    func harvesterWithEndUsers(_ id: String, requests: Int = 1500, endUser: (Int) -> String) -> AccountProfile {
        var b = ProfileBuilder(id)
        for (i, var record) in harvesterRecords(id, requests: requests).enumerated() {
            record.endUser = endUser(i)
            b.add(record)
        }
        return b.profile
    }

    @Test func endUsersMadeUpPerRequestEarnNoCredit() throws {
        let app = try #require(Scorer().assess([harvesterWithEndUsers("app") { "user-\($0 % 300)" }]).first)
        let faker = try #require(Scorer().assess([harvesterWithEndUsers("faker") { "user-\($0 * 7919)" }]).first)
        #expect(app.reasons.contains { $0.code == "many_end_users" })
        #expect(!faker.reasons.contains { $0.code == "many_end_users" })
        #expect(faker.level >= .review && faker.score > app.score)
    }

    @Test func aSlowHarvesterWithMadeUpEndUsersEarnsNoCreditWhereAYoungAppKeepsIt() throws {
        // 300 requests: nearly one end user per request either way, but the app's visitors come
        // back (the last 60 requests are returns of its first 60 people), the faker's ids never do.
        let app = try #require(
            Scorer().assess([
                harvesterWithEndUsers("app", requests: 300) { $0 < 240 ? "user-\($0)" : "user-\($0 - 240)" }
            ])
            .first)
        let faker = try #require(
            Scorer().assess([harvesterWithEndUsers("faker", requests: 300) { "user-\($0 * 7919)" }]).first)
        #expect(app.reasons.contains { $0.code == "many_end_users" })
        #expect(!faker.reasons.contains { $0.code == "many_end_users" })
        #expect(faker.level >= .review && faker.score > app.score)
    }

    @Test func aMadeUpConversationInFrontOfEachQuestionIsStillSingleShot() throws {
        // The harvester's questions, each behind a greeting and a reply it never sent before.
        var b = ProfileBuilder("harvester")
        for (i, var record) in harvesterRecords("harvester", requests: 1500).enumerated() {
            let question = record.messages.removeLast()
            record.messages += [
                ChatMessage(role: "user", text: "Hello there, a quick question number \(i * 7919 % 100_003)"),
                ChatMessage(role: "assistant", text: "Sure, go ahead."), question,
            ]
            b.add(record)
        }
        let harvester = try #require(Scorer().assess([b.profile]).first)
        #expect(harvester.level >= .review && harvester.reasons.contains { $0.code == "single_shot" })
        // People's conversations continue what they sent: still not single-shot.
        let chat = try #require(Scorer().assess([chatUser("chat", conversations: 100)]).first)
        #expect(chat.level < .review && !chat.reasons.contains { $0.code == "single_shot" })
        #expect(chatUser("chat", conversations: 100).totals[.continuedFollowUps] > 0)
    }

    @Test func aMadeUpAgentTrajectoryInFrontOfEachQuestionIsStillSingleShot() throws {
        // The harvester's questions, each as a task with a tool round it never ran.
        var b = ProfileBuilder("harvester")
        for var record in harvesterRecords("harvester", requests: 1500) {
            record.toolCount = 2
            record.messages += [
                ChatMessage(role: "assistant", text: "", hasToolCalls: true),
                ChatMessage(role: "tool", text: "search results"),
            ]
            b.add(record)
        }
        let harvester = try #require(Scorer().assess([b.profile]).first)
        #expect(harvester.level >= .review && harvester.reasons.contains { $0.code == "single_shot" })
        // A real agent's tool rounds continue the task it sent on its own first: not single-shot.
        var agent = ProfileBuilder("agent")
        for task in 0..<150 {
            var messages = [
                ChatMessage(role: "user", text: "task \(task): make the failing test in module \(task % 7) pass")
            ]
            for round in 0..<8 {
                agent.add(
                    RequestRecord(
                        time: day0 + Double(task) * 1200 + Double(round) * 90, account: "agent",
                        promptTokens: 3000 + 1500 * round, completionTokens: 900, toolCount: 6, messages: messages))
                messages += [
                    ChatMessage(role: "assistant", text: "", hasToolCalls: true),
                    ChatMessage(role: "tool", text: "output of round \(round)"),
                ]
            }
        }
        #expect(agent.profile.totals[.continuedFollowUps] > 0)
        let real = try #require(Scorer().assess([agent.profile]).first)
        #expect(real.level < .review && !real.reasons.contains { $0.code == "single_shot" }, "\(real.reasons)")
    }

    @Test func aTaskThatDeclaresToolsButNeverRunsTheLoopIsSingleShot() throws {
        // Every question a new task with tools declared, answered in one go: no tool round ever follows.
        var b = ProfileBuilder("harvester")
        for var record in harvesterRecords("harvester", requests: 1500) {
            record.toolCount = 6
            b.add(record)
        }
        #expect(b.profile.totals[.singleShot] == 1500)
        let harvester = try #require(Scorer().assess([b.profile]).first)
        #expect(harvester.level >= .review && harvester.reasons.contains { $0.code == "single_shot" })
    }

    @Test func hiddenReasoningIsNotALongAnswer() throws {
        // A product on a reasoning model: new questions, one-line JSON answers after long hidden
        // reasoning. Completion tokens are as long as a harvester's; what the client receives is not.
        var b = ProfileBuilder("app")
        for var record in harvesterRecords("app", requests: 1500) {
            record.reasoningTokens = record.completionTokens - 40
            b.add(record)
        }
        #expect(b.profile.totals[.longOutput] == 0)
        let app = try #require(Scorer().assess([b.profile]).first)
        #expect(app.level < .review && !app.reasons.contains { $0.code == "long_answers" }, "\(app.reasons)")
        // The same answers, visible, are the harvester they were.
        let visible = try #require(Scorer().assess([harvester("h", requests: 1500)]).first)
        #expect(visible.level >= .review)
    }

    @Test func anAccountInheritsItsHarvestingEndUser() throws {
        let reseller = harvester("reseller::eu-42", requests: 800)
        var parent = ProfileBuilder("reseller")
        for record in (0..<800).map({ i in
            RequestRecord(
                time: day0 + Double(i) * 40, account: "reseller", promptTokens: 60, completionTokens: 900,
                messages: [ChatMessage(role: "user", text: "q\(i)")])
        }) {
            parent.add(record)
        }
        var chat = chatUser("reseller-chat", conversations: 300).totals
        chat += parent.totals
        let profiles = [
            AccountProfile(id: "reseller", totals: chat, sketch: parent.sketch),
            AccountProfile(id: reseller.id, parent: "reseller", totals: reseller.totals, sketch: reseller.sketch),
        ]
        let results = Scorer().assess(profiles)
        let account = try #require(results.first { $0.account == "reseller" })
        #expect(account.level >= .review)
        #expect(account.reasons.first?.code == "end_user")
    }

    @Test func anAccountInheritsItsHarvestingKey() throws {
        // A team with six keys: five people chatting, one key harvesting. The team as a whole
        // looks like chat; the key, scored on its own traffic, does not.
        var aggregate = BatchAggregate()
        func add(_ record: RequestRecord) {
            aggregate.add(record, features: RequestFeatures(record)) { _ in nil }
        }
        for c in 0..<400 {
            var messages: [ChatMessage] = []
            for turn in 0..<4 {
                messages.append(ChatMessage(role: "user", text: "conversation \(c) question \(turn) about my garden"))
                add(
                    RequestRecord(
                        time: day0 + Double(c) * 200 + Double(turn) * 30, account: "team", apiKeyID: "k\(c % 5)",
                        promptTokens: 40 + turn * 300, completionTokens: 250, messages: messages))
                messages.append(ChatMessage(role: "assistant", text: "an answer"))
            }
        }
        for record in harvesterRecords("team", requests: 400) {
            var record = record
            record.apiKeyID = "k-harvest"
            add(record)
        }
        var totals: [String: Counters] = [:]
        for (key, counters) in aggregate.buckets { totals[key.entity, default: Counters()] += counters }
        let profiles = aggregate.sketches.keys.sorted().map {
            AccountProfile(id: $0, parent: aggregate.parents[$0], totals: totals[$0]!, sketch: aggregate.sketches[$0]!)
        }
        let keyEntity = BatchAggregate.keyEntity(account: "team", key: "k-harvest")
        #expect(profiles.first { $0.id == keyEntity }?.kind == .apiKey)
        #expect(profiles.filter { $0.kind == .apiKey }.count == 6)

        let alone = Scorer().assess(profiles.filter { $0.parent == nil })
        #expect(try #require(alone.first).level < .review)
        let results = Scorer().assess(profiles)
        #expect(try #require(results.first { $0.account == keyEntity }).level >= .review)
        #expect(results.filter { $0.account.hasPrefix("team::key:k") && $0.level >= .review }.count == 1)
        let team = try #require(results.first { $0.account == "team" })
        #expect(team.level >= .review)
        #expect(team.reasons.first?.code == "api_key")
        #expect(team.reasons.first?.summary.contains("k-harvest") == true)
    }

    @Test func theWorstOfTiedChildrenDoesNotDependOnStorageOrder() throws {
        // Two keys harvesting alike score alike; the reason must name the same one whatever
        // order the store returns the profiles in.
        var aggregate = BatchAggregate()
        for record in harvesterRecords("team", requests: 300) {
            for key in ["k-b", "k-a"] {
                var record = record
                record.apiKeyID = key
                aggregate.add(record, features: RequestFeatures(record)) { _ in nil }
            }
        }
        var totals: [String: Counters] = [:]
        for (key, counters) in aggregate.buckets { totals[key.entity, default: Counters()] += counters }
        let profiles = aggregate.sketches.keys.sorted().map {
            AccountProfile(id: $0, parent: aggregate.parents[$0], totals: totals[$0]!, sketch: aggregate.sketches[$0]!)
        }
        var named: Set<String> = []
        for order in [profiles, profiles.reversed()] {
            let results = Scorer().assess(order)
            #expect(results.filter { $0.account.hasPrefix("team::key:") && $0.level >= .review }.count == 2)
            let team = try #require(results.first { $0.account == "team" })
            named.insert(try #require(team.reasons.first { $0.code == "api_key" }).summary)
        }
        #expect(named.count == 1)
        #expect(named.first?.contains("k-a") == true)
    }

    @Test func numbersInReasonsReadAsPrintfWouldPrintThem() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let x = Double.random(in: -5_000...5_000_000, using: &rng)
            for decimals in 0...2 {
                #expect(fixed(x, decimals) == String(format: "%.\(decimals)f", x), "\(x) with \(decimals) decimals")
            }
        }
        #expect(pct(0.5) == "50%" && pct(0.0004) == "0.0%" && pct(1) == "100.0%" && pct(0.093) == "9.3%")
        #expect(compact(2_100_000) == "2.1M" && compact(999) == "999" && format(0.5) == "0.50")
    }

    @Test func reasonsAsJSONDecodeToThemselves() throws {
        let reasons = [
            Reason(
                code: "novelty", summary: "97% of \"recent\" prompts \\ new\n\t\u{1}, 数学 ✓ /path",
                value: 0.9774435091275985),
            Reason(code: "cluster", summary: "", value: 1),
            Reason(code: "x", summary: "tiny", value: 1e-7),
        ]
        let decoded = try JSONDecoder().decode([Reason].self, from: Data(Reason.json(reasons).utf8))
        #expect(decoded == reasons)
        #expect(Reason.json([]) == "[]")
    }

    @Test func levelsFollowThePolicy() {
        let policy = ScoringPolicy(watch: 0.3, review: 0.5, block: 0.7, minimumRequests: 10)
        #expect(policy.level(for: 0.29, requests: 100) == .none)
        #expect(policy.level(for: 0.5, requests: 100) == .review)
        #expect(policy.level(for: 0.9, requests: 100) == .block)
        #expect(policy.level(for: 0.9, requests: 5) == .watch)
    }
}
