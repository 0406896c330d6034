#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What Sluice keeps of one request: numbers and fingerprints, never its text.
public struct RequestFeatures: Sendable, Equatable {
    /// Exact fingerprint of the last user message (whitespace and case folded): repetition and novelty.
    public var promptHash: UInt64
    public var promptSimHash: UInt64
    /// Fingerprints of the system prompt, nil when there is none.
    public var systemHash: UInt64?
    public var systemSimHash: UInt64?
    /// The frame of the last user message (see `TextSketch.templateHash`).
    public var templateHash: UInt64
    /// For a follow-up, `promptHash` of what it continues: in a conversation, the user message
    /// before the last; in an agent's tool round, the task (the first user message), which a real
    /// agent sent on its own first. A real history is what the account sent before; a made-up one never was.
    public var previousPromptHash: UInt64?
    public var reasoning: Bool
    public var category: Category
    /// User turns in the conversation: 1 is single-shot.
    public var userTurns: Int
    /// Tools declared or tool messages carried.
    public var usesTools: Bool
    /// Carries a tool result or call: a round of an agent's loop, not the start of a task.
    public var isToolRound: Bool
    public var hitMaxTokens: Bool
    /// The client network: IPv4 /24 or IPv6 /48, as text.
    public var network: String?
    /// `TextSketch.hash` of the record's identities, for the sketches: taken once per record,
    /// on every core, rather than on the commit's one thread for each entity the record is added to.
    public var identity = IdentityHashes()

    public struct IdentityHashes: Sendable, Equatable {
        public var network: UInt64?
        public var userAgent: UInt64?
        public var apiKey: UInt64?
        public var endUser: UInt64?
        public var model: UInt64?
        public init() {}
    }

    public init(
        promptHash: UInt64 = 0, promptSimHash: UInt64 = 0, systemHash: UInt64? = nil, systemSimHash: UInt64? = nil,
        templateHash: UInt64 = 0, reasoning: Bool = false, category: Category = .other, userTurns: Int = 1,
        usesTools: Bool = false, isToolRound: Bool = false, hitMaxTokens: Bool = false, network: String? = nil
    ) {
        self.promptHash = promptHash
        self.promptSimHash = promptSimHash
        self.systemHash = systemHash
        self.systemSimHash = systemSimHash
        self.templateHash = templateHash
        self.reasoning = reasoning
        self.category = category
        self.userTurns = userTurns
        self.usesTools = usesTools
        self.isToolRound = isToolRound
        self.hitMaxTokens = hitMaxTokens
        self.network = network
    }
}

extension RequestFeatures {
    /// Extracts the features of one request. Pure and deterministic.
    public init(_ record: RequestRecord, lexicon: Lexicon = .standard) {
        var memo = SystemPromptMemo()
        self.init(record, lexicon: lexicon, memo: &memo)
    }

    /// The same, taking the fingerprints of a system prompt from `memo` when it has seen it.
    public init(_ record: RequestRecord, lexicon: Lexicon = .standard, memo: inout SystemPromptMemo) {
        var lastUser: String = ""
        var firstUser: String?
        var previousUser: String?
        var system: String?
        var userTurns = 0
        var toolMessages = 0
        for message in record.messages {
            switch message.role {
            case "user":
                userTurns += 1
                if userTurns > 1 { previousUser = lastUser } else { firstUser = message.text }
                lastUser = message.text
            case "system", "developer":
                system = system.map { $0 + "\n" + message.text } ?? message.text
            case "tool", "function":
                toolMessages += 1
            default:
                if message.hasToolCalls { toolMessages += 1 }
            }
        }
        // One pass over each text computes all of its fingerprints and cues (see `TextDigest`).
        var hits = CueHits()
        let prompt = TextDigest(lastUser, lexicon: lexicon, hits: &hits)
        self.promptHash = prompt.wordHash
        self.promptSimHash = prompt.simHash
        self.templateHash = prompt.templateHash
        if let system, !system.isEmpty {
            let digest = memo.digest(system, lexicon: lexicon)
            self.systemHash = digest.hash
            self.systemSimHash = digest.simHash
            hits.add(digest.hits)
        }
        self.reasoning = hits.reasoning > 0
        self.userTurns = max(userTurns, record.messages.isEmpty ? 0 : 1)
        self.usesTools = record.toolCount > 0 || toolMessages > 0
        self.isToolRound = toolMessages > 0
        let continues = toolMessages > 0 ? firstUser : usesTools ? nil : previousUser
        if let continues {
            var none = CueHits()
            previousPromptHash =
                userTurns == 1 ? prompt.wordHash : TextDigest(continues, lexicon: nil, hits: &none).wordHash
        }
        self.hitMaxTokens =
            record.finishReason == "length"
            // `max_tokens` bounds each of the `n` samples; usage counts them all.
            || (record.maxTokens.map { $0 > 0 && record.completionTokens / max(record.n, 1) >= $0 } ?? false)
        self.network = record.ip.flatMap(Self.network(of:))
        identity.network = network.map(TextSketch.hash)
        identity.userAgent = record.userAgent.map(TextSketch.hash)
        identity.apiKey = record.apiKeyID.map(TextSketch.hash)
        identity.endUser = record.endUser.map(TextSketch.hash)
        identity.model = record.model.map(TextSketch.hash)

        if usesTools {
            category = .agentic
        } else {
            var best = Category.other
            var bestHits = 0
            for c in [Category.judge, .code, .math] where hits.categories[c.rawValue] > bestHits {
                best = c
                bestHits = hits.categories[c.rawValue]
            }
            category = bestHits == 0 && userTurns > 1 ? .chat : best
        }
    }

    /// `203.0.113.7` → `203.0.113.0/24`; IPv6 keeps its first three groups (/48).
    public static func network(of ip: String) -> String? {
        if let network = ipv4Network(of: ip) { return network }
        let address = ip.split(separator: ",").first.map { String($0).trimmingWhitespace() } ?? ip
        guard !address.isEmpty else { return nil }
        if address.contains(":") {
            let groups = address.split(separator: ":", omittingEmptySubsequences: false).prefix(3)
            return groups.joined(separator: ":") + "::/48"
        }
        let octets = address.split(separator: ".")
        guard octets.count == 4 else { return nil }
        return "\(octets[0]).\(octets[1]).\(octets[2]).0/24"
    }

    /// The common case of `network(of:)` without allocating: a bare dotted quad of digits.
    /// Anything else (lists, spaces, IPv6) is left to the general path.
    static func ipv4Network(of ip: String) -> String? {
        var ip = ip
        return ip.withUTF8 { bytes -> String? in
            var dots = 0
            var thirdDot = 0
            var previous = UInt8(ascii: ".")
            for (i, byte) in bytes.enumerated() {
                if byte == UInt8(ascii: ".") {
                    guard previous != UInt8(ascii: ".") else { return nil }
                    dots += 1
                    if dots == 3 { thirdDot = i }
                } else if byte < UInt8(ascii: "0") || byte > UInt8(ascii: "9") {
                    return nil
                }
                previous = byte
            }
            guard dots == 3, previous != UInt8(ascii: ".") else { return nil }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[..<thirdDot]), as: UTF8.self) + ".0/24"
        }
    }
}

/// The fingerprints of the system prompts a thread has digested, by their exact bytes: an
/// application sends the same system prompt with every request, and digesting it again was a
/// quarter of the cost of the features. Bounded: emptied when full.
public struct SystemPromptMemo {
    struct Digest {
        var hash: UInt64
        var simHash: UInt64
        var hits: CueHits
    }

    /// Byte equality and a hash of the bytes: `String`'s own are by canonical equivalence, and
    /// two spellings of one text must not share fingerprints taken over bytes. The hash takes
    /// the length and the ends of a text, not all of it: a prompt is compared whole anyway.
    struct Key: Hashable {
        let text: String

        func hash(into hasher: inout Hasher) {
            var text = text
            text.withUTF8 { bytes in
                hasher.combine(bytes.count)
                let end = min(bytes.count, 32)
                hasher.combine(bytes: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[..<end])))
                hasher.combine(
                    bytes: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[(bytes.count - end)...])))
            }
        }

        static func == (a: Key, b: Key) -> Bool {
            var (x, y) = (a.text, b.text)
            return x.withUTF8 { p in
                y.withUTF8 { q in
                    p.count == q.count && (p.isEmpty || memcmp(p.baseAddress!, q.baseAddress!, p.count) == 0)
                }
            }
        }
    }

    var digests: [Key: Digest] = [:]
    /// The lexicon the cues were counted with.
    var lexicon: ObjectIdentifier?
    static let capacity = 512

    public init() {}

    mutating func digest(_ text: String, lexicon: Lexicon) -> Digest {
        let id = ObjectIdentifier(lexicon.automaton.transitions)
        if id != self.lexicon {
            digests.removeAll()
            self.lexicon = id
        }
        let key = Key(text: text)
        if let known = digests[key] { return known }
        var hits = CueHits()
        let digest = Digest(
            hash: TextSketch.hash(text), simHash: TextDigest(text, lexicon: lexicon, hits: &hits).simHash, hits: hits)
        if digests.count >= Self.capacity { digests.removeAll(keepingCapacity: true) }
        digests[key] = digest
        return digest
    }
}
