import Foundation

/// Settings for one simulated run.
public struct SimulationOptions: Sendable {
    /// Days of traffic to generate.
    public var days: Int
    /// Seed of every random choice: equal options give byte-identical output.
    public var seed: UInt64
    /// Multiplies the number of accounts of each persona (and so the number of lines).
    public var scale: Double
    /// A folder laid out like `shared/data` with the public corpora; `nil` uses the built-in text generator.
    public var corpora: URL?
    /// Event time of the start of the run.
    public var start: Date

    /// 2026-11-01T00:00:00Z.
    public static let defaultStart = Date(timeIntervalSince1970: 1_793_491_200)

    public init(
        days: Int = 2, seed: UInt64 = 1, scale: Double = 1.0, corpora: URL? = nil,
        start: Date = SimulationOptions.defaultStart
    ) {
        self.days = days
        self.seed = seed
        self.scale = scale
        self.corpora = corpora
        self.start = start
    }
}

/// What a run wrote.
public struct SimulationSummary: Sendable {
    /// Log lines written.
    public var lines: Int
    /// Accounts (team ids) in the traffic.
    public var accounts: Int
    /// The traffic files (currently one, `traffic.jsonl`).
    public var files: [URL]
    /// `labels.json`.
    public var labelsFile: URL
}

/// Errors from a simulation run.
public enum SimulationError: Error, CustomStringConvertible {
    case invalidOptions(String)

    public var description: String {
        switch self {
        case .invalidOptions(let reason): return "invalid simulation options: \(reason)"
        }
    }
}

/// Writes labelled LLM API traffic: benign heavy users and distillation harvesters side by side.
public enum Simulator {
    /// Writes `traffic.jsonl` (LiteLLM StandardLoggingPayload lines, sorted by event time) and `labels.json` into
    /// `directory`, creating it if needed. `progress` is called with the number of lines written so far.
    public static func run(
        _ options: SimulationOptions, into directory: URL,
        progress: (@Sendable (Int) -> Void)? = nil
    ) throws -> SimulationSummary {
        guard options.days >= 1 else { throw SimulationError.invalidOptions("days must be at least 1") }
        guard options.scale > 0, options.scale.isFinite else {
            throw SimulationError.invalidOptions("scale must be a positive number")
        }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)

        let clock = SimulationClock(
            startMicros: Int64((options.start.timeIntervalSince1970 * 1_000_000).rounded()),
            days: options.days)
        let text = PreparedText(pools: TextPools.load(corpora: options.corpora, seed: options.seed), seed: options.seed)
        var planning = SimulationRandom(seed: options.seed, 0x91A)
        let plans = AccountPlanner.plans(scale: options.scale, &planning)
        let hydra = AccountPlanner.hydraPlan(
            memberCount: plans.filter { $0.persona == .hydra }.count, text: text,
            &planning)
        let hydraPlans = plans.map { plan in
            plan.persona == .hydra ? AccountPlanner.attachToHydra(plan, hydra: hydra) : plan
        }
        let generator = TrafficGenerator(clock: clock, text: text, hydra: hydra, seed: options.seed)

        var requests: [SimulatedRequest] = []
        for plan in hydraPlans {
            var accountRequests = generator.requests(for: plan)
            for position in accountRequests.indices {
                accountRequests[position].serial = UInt64(plan.index) << 32 | UInt64(position)
            }
            requests += accountRequests
        }
        requests.sort { ($0.startMicros, $0.serial) < ($1.startMicros, $1.serial) }

        let trafficFile = directory.appendingPathComponent("traffic.jsonl")
        let identities = hydraPlans.map { LogLineWriter.AccountIdentity(teamID: $0.teamID, keyHashes: $0.keyHashes) }
        try writeLines(
            requests, to: trafficFile, writer: LogLineWriter(identities: identities, seed: options.seed),
            progress: progress)

        let activeAccounts = Set(requests.map(\.accountIndex))
        var labels = Labels(accounts: [:])
        for plan in hydraPlans where activeAccounts.contains(plan.index) {
            labels.accounts[plan.teamID] = AccountLabel(
                persona: plan.persona.rawValue,
                label: plan.persona.isAttack ? "attack" : "benign")
        }
        let labelsFile = directory.appendingPathComponent("labels.json")
        try labels.write(to: labelsFile)
        return SimulationSummary(
            lines: requests.count, accounts: labels.accounts.count, files: [trafficFile],
            labelsFile: labelsFile)
    }

    private static func writeLines(
        _ requests: [SimulatedRequest], to file: URL, writer: LogLineWriter,
        progress: (@Sendable (Int) -> Void)?
    ) throws {
        _ = FileManager.default.createFile(atPath: file.path, contents: nil)
        let handle = try FileHandle(forWritingTo: file)
        defer { try? handle.close() }
        try handle.truncate(atOffset: 0)
        let flushThreshold = 4 << 20
        var buffer = JSONLineBuffer(capacity: flushThreshold + (256 << 10))
        for (position, request) in requests.enumerated() {
            writer.append(request, to: &buffer)
            if buffer.bytes.count >= flushThreshold {
                try handle.write(contentsOf: buffer.bytes)
                buffer.bytes.removeAll(keepingCapacity: true)
            }
            if (position + 1) % 10_000 == 0 { progress?(position + 1) }
        }
        try handle.write(contentsOf: buffer.bytes)
        progress?(requests.count)
    }
}

/// Decides who the accounts are: persona, identity, network, clients, volume and limits.
enum AccountPlanner {
    static func plans(scale: Double, _ random: inout SimulationRandom) -> [AccountPlan] {
        var plans: [AccountPlan] = []
        // Groups that share an egress network and client, as real organisations do: these benign look-alikes of a
        // hydra keep linking honest.
        let officeBlock = ClientPools.block(&random, firstOctets: ClientPools.cloudFirstOctets)
        let officeBrowser = ClientPools.browsers[0]
        let labBlock = ClientPools.block(&random, firstOctets: ClientPools.cloudFirstOctets)
        let companyBlock = ClientPools.block(&random, firstOctets: ClientPools.cloudFirstOctets)
        let humanOffsets = [-8, -7, -6, -5, -4, -3, 0, 0, 1, 1, 2, 3, 5, 8, 9, 10]

        for persona in Persona.allCases {
            let count = persona.accountCount(scale: scale)
            for ordinal in 0..<count {
                var plan = AccountPlan(
                    index: plans.count, teamID: ClientPools.uuid(&random), persona: persona, ordinal: ordinal,
                    keyHashes: [], ipAddresses: [], userAgents: [], utcOffsetHours: random.pick(humanOffsets),
                    requestsPerDay: 0, rateLimitPerMinute: 600, rotatesKeysOnRateLimit: false)
                var keyCount = random.int(1...2)
                func cloudHosts(_ count: Int, in block: String? = nil) -> [String] {
                    let chosenBlock = block ?? ClientPools.block(&random, firstOctets: ClientPools.cloudFirstOctets)
                    return (0..<count).map { _ in ClientPools.host(in: chosenBlock, &random) }
                }
                func harvesterSetup(perDay: ClosedRange<Double>, peakFactor: Double = 1.3) {
                    plan.requestsPerDay = random.double(perDay)
                    plan.rateLimitPerMinute = Int((plan.requestsPerDay / 1_440 * peakFactor).rounded(.up)) + 1
                    plan.rotatesKeysOnRateLimit = true
                    keyCount = random.int(2...4)
                    plan.ipAddresses = (0..<random.int(1...3)).map { _ in
                        ClientPools.address(
                            &random,
                            firstOctets: ClientPools.rentedServerFirstOctets
                                + ClientPools.cloudFirstOctets)
                    }
                    plan.userAgents = [random.pick(ClientPools.sdkClients)]
                }
                switch persona {
                case .chatUser:
                    plan.requestsPerDay = random.double(20...50)
                    if ordinal < 5 {
                        plan.ipAddresses = [ClientPools.host(in: officeBlock, &random)]
                        plan.userAgents = [officeBrowser]
                        plan.utcOffsetHours = 1
                    } else {
                        plan.ipAddresses = (0..<random.int(1...2)).map { _ in
                            ClientPools.address(&random, firstOctets: ClientPools.residentialFirstOctets)
                        }
                        plan.userAgents = Array(random.shuffled(ClientPools.browsers).prefix(random.int(1...2)))
                    }
                    keyCount = 1
                case .codingAssistant:
                    plan.requestsPerDay = random.double(200...700)
                    plan.ipAddresses = cloudHosts(random.int(2...4))
                    plan.userAgents = [random.pick(["OpenAI/JS 4.67.3", "axios/1.7.7", "OpenAI/Python 1.54.3"])]
                case .codingAgent:
                    plan.requestsPerDay = random.double(800...2_000)
                    plan.ipAddresses = cloudHosts(random.int(1...3))
                    plan.userAgents = [random.pick(["AsyncOpenAI/Python 1.54.3", "OpenAI/JS 4.67.3"])]
                case .evalHarness:
                    let inLab = ordinal < 2
                    plan.ipAddresses = cloudHosts(random.int(1...2), in: inLab ? labBlock : nil)
                    plan.userAgents = [inLab ? "AsyncOpenAI/Python 1.54.3" : "python-requests/2.32.3"]
                    plan.rateLimitPerMinute = 200
                case .llmJudge:
                    plan.ipAddresses = cloudHosts(1, in: ordinal == 0 ? labBlock : nil)
                    plan.userAgents = [ordinal == 0 ? "AsyncOpenAI/Python 1.54.3" : "OpenAI/Python 1.51.2"]
                    plan.rateLimitPerMinute = 300
                case .batchClassifier:
                    plan.requestsPerDay = random.double(800...2_500)
                    plan.ipAddresses = cloudHosts(1)
                    plan.userAgents = [
                        random.pick(["python-requests/2.32.3", "OpenAI/Python 1.54.3", "Go-http-client/2.0"])
                    ]
                case .ragApp:
                    plan.requestsPerDay = random.double(800...2_000)
                    plan.ipAddresses = cloudHosts(2, in: ordinal == 0 ? companyBlock : nil)
                    plan.userAgents = [
                        ordinal == 0 ? "OpenAI/Python 1.54.3" : random.pick(["OpenAI/JS 4.67.3", "axios/1.7.7"])
                    ]
                case .summarizer:
                    plan.requestsPerDay = random.double(300...900)
                    plan.ipAddresses = cloudHosts(1, in: ordinal == 0 ? companyBlock : nil)
                    plan.userAgents = [ordinal == 0 ? "OpenAI/Python 1.54.3" : random.pick(ClientPools.sdkClients)]
                case .instructionHarvester:
                    harvesterSetup(perDay: 2_000...6_000)
                case .reasoningHarvester:
                    harvesterSetup(perDay: 1_200...3_000)
                case .codeHarvester:
                    harvesterSetup(perDay: 1_000...3_000)
                case .logprobHarvester:
                    harvesterSetup(perDay: 1_500...3_000)
                case .hydra:
                    keyCount = 1
                    plan.rateLimitPerMinute = 30
                case .slowAndLow:
                    harvesterSetup(perDay: 200...400)
                    keyCount = 1
                    plan.ipAddresses = [ClientPools.address(&random, firstOctets: ClientPools.residentialFirstOctets)]
                case .reseller:
                    plan.ipAddresses = cloudHosts(2)
                    plan.userAgents = ["OpenAI/JS 4.67.3"]
                    plan.rateLimitPerMinute = 600
                case .adaptive:
                    harvesterSetup(perDay: 800...2_000, peakFactor: 2.5)
                    keyCount = 3
                    plan.ipAddresses = (0..<3).map { _ in
                        let octets =
                            random.chance(0.5)
                            ? ClientPools.residentialFirstOctets
                            : ClientPools.rentedServerFirstOctets
                        return ClientPools.address(&random, firstOctets: octets)
                    }
                    plan.userAgents = [
                        random.pick(ClientPools.browsers), random.pick(ClientPools.sdkClients),
                        random.pick(ClientPools.sdkClients),
                    ]
                }
                plan.keyHashes = (0..<keyCount).map { _ in SHA256Digest.hex("sk-sim-" + random.hex(40)) }
                plans.append(plan)
            }
        }
        return plans
    }

    static func hydraPlan(memberCount: Int, text: PreparedText, _ random: inout SimulationRandom) -> HydraPlan {
        let sequence = DistinctPromptSequence(
            bases: text.hydraPrompts,
            mutations: Array(Mutations.instruction.prefix(6)), random: &random)
        return HydraPlan(
            systemPrompt: JSONText(
                "You are a world-class tutor. Read the task carefully, work through it step by step "
                    + "and explain each step of your reasoning clearly before stating the final answer. Be complete."),
            userAgent: "python-httpx/0.27.2",
            addressBlock: ClientPools.block(&random, firstOctets: ClientPools.rentedServerFirstOctets),
            memberCount: memberCount, requestsPerDay: random.double(110...190),
            pivotDelayHours: random.double(1...4), promptSequence: sequence)
    }

    /// Hydra members live in one /24 and speak with one client.
    static func attachToHydra(_ plan: AccountPlan, hydra: HydraPlan) -> AccountPlan {
        var member = plan
        member.ipAddresses = ["\(hydra.addressBlock).\(10 + plan.ordinal * 3 % 240)"]
        member.userAgents = [hydra.userAgent]
        member.requestsPerDay = hydra.requestsPerDay
        return member
    }
}
