import Foundation

/// The kinds of account the simulator plays. Raw values are the persona names written to `labels.json`.
enum Persona: String, CaseIterable, Sendable {
    case chatUser = "chat_user"
    case codingAssistant = "coding_assistant"
    case codingAgent = "coding_agent"
    case evalHarness = "eval_harness"
    case llmJudge = "llm_judge"
    case batchClassifier = "batch_classifier"
    case ragApp = "rag_app"
    case summarizer = "summarizer"
    case instructionHarvester = "instruction_harvester"
    case reasoningHarvester = "reasoning_harvester"
    case codeHarvester = "code_harvester"
    case logprobHarvester = "logprob_harvester"
    case hydra = "hydra"
    case slowAndLow = "slow_and_low"
    case reseller = "reseller"
    case adaptive = "adaptive"

    var isAttack: Bool {
        switch self {
        case .chatUser, .codingAssistant, .codingAgent, .evalHarness, .llmJudge, .batchClassifier, .ragApp, .summarizer:
            return false
        default:
            return true
        }
    }

    /// Accounts of this persona at scale 1.
    var accountsAtScaleOne: Int {
        switch self {
        case .chatUser: return 30
        case .codingAssistant: return 5
        case .codingAgent: return 4
        case .evalHarness: return 3
        case .llmJudge: return 3
        case .batchClassifier: return 4
        case .ragApp: return 4
        case .summarizer: return 3
        case .instructionHarvester, .reasoningHarvester, .codeHarvester, .adaptive, .slowAndLow: return 2
        case .logprobHarvester, .reseller: return 1
        case .hydra: return 24
        }
    }

    /// Accounts at a given scale: never zero, and a hydra always big enough to be a hydra.
    func accountCount(scale: Double) -> Int {
        let scaled = Int((Double(accountsAtScaleOne) * scale).rounded())
        switch self {
        case .hydra: return max(6, scaled)
        case .chatUser: return max(3, scaled)
        default: return max(1, scaled)
        }
    }
}

/// Everything fixed about one simulated account.
struct AccountPlan: Sendable {
    var index: Int
    var teamID: String
    var persona: Persona
    /// Position among the accounts of the same persona (hydra member number, which benchmark suite, ...).
    var ordinal: Int
    var keyHashes: [String]
    var ipAddresses: [String]
    var userAgents: [String]
    var utcOffsetHours: Int
    var requestsPerDay: Double
    var rateLimitPerMinute: Int
    /// Harvesters answer a 429 by retrying at once on another key; others back off on the same key.
    var rotatesKeysOnRateLimit: Bool
}

/// Address and client pools that make accounts look like people, companies and rented servers.
enum ClientPools {
    static let residentialFirstOctets = [24, 67, 68, 73, 76, 81, 86, 92, 98, 108, 176, 188, 213, 217]
    static let cloudFirstOctets = [3, 13, 18, 20, 34, 35, 40, 44, 52, 54, 104, 146]
    static let rentedServerFirstOctets = [5, 37, 45, 91, 103, 141, 185, 193, 194, 212]

    static let browsers = [
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            + "Chrome/130.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
            + "Chrome/131.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) "
            + "Version/18.1 Safari/605.1.15",
        "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            + "Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
            + "Version/18.1 Mobile/15E148 Safari/604.1",
    ]
    static let sdkClients = [
        "OpenAI/Python 1.54.3", "OpenAI/Python 1.51.2", "AsyncOpenAI/Python 1.54.3", "OpenAI/JS 4.67.3",
        "python-requests/2.32.3", "python-httpx/0.27.2", "Python/3.11 aiohttp/3.10.10", "curl/8.5.0",
        "Go-http-client/2.0", "axios/1.7.7", "OpenAI/Python 1.40.6", "python-requests/2.31.0",
    ]

    static func block(_ random: inout SimulationRandom, firstOctets: [Int]) -> String {
        "\(random.pick(firstOctets)).\(random.int(0...255)).\(random.int(0...255))"
    }

    static func host(in block: String, _ random: inout SimulationRandom) -> String {
        "\(block).\(random.int(2...254))"
    }

    static func address(_ random: inout SimulationRandom, firstOctets: [Int]) -> String {
        host(in: block(&random, firstOctets: firstOctets), &random)
    }

    static func uuid(_ random: inout SimulationRandom) -> String {
        [random.hex(8), random.hex(4), "4" + random.hex(3), "8" + random.hex(3), random.hex(12)].joined(separator: "-")
    }
}
