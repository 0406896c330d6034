/// One message of a chat request: its role and its text (text parts joined), and whether the
/// assistant asked for tools in it.
public struct ChatMessage: Sendable, Equatable {
    public var role: String
    public var text: String
    public var hasToolCalls: Bool

    public init(role: String, text: String, hasToolCalls: Bool = false) {
        self.role = role
        self.text = text
        self.hasToolCalls = hasToolCalls
    }
}

/// The canonical form of one API request, whatever log format it came from.
/// It lives only while a line is being processed: the text is reduced to features, never stored.
public struct RequestRecord: Sendable, Equatable {
    /// Event time, seconds since 1970.
    public var time: Double
    public var account: String
    /// A keyed hash of the API key, never the key.
    public var apiKeyID: String?
    public var endUser: String?
    public var ip: String?
    public var userAgent: String?
    public var model: String?
    public var route: String?
    public var status: Int
    public var promptTokens: Int
    public var completionTokens: Int
    /// Of `completionTokens`, a reasoning model's hidden reasoning (`completion_tokens_details`).
    public var reasoningTokens = 0
    public var temperature: Double?
    public var maxTokens: Int?
    public var n: Int
    public var logprobs: Bool
    public var topLogprobs: Int
    public var stream: Bool
    public var toolCount: Int
    public var messages: [ChatMessage]
    public var finishReason: String?

    public init(
        time: Double, account: String, apiKeyID: String? = nil, endUser: String? = nil,
        ip: String? = nil, userAgent: String? = nil, model: String? = nil, route: String? = nil, status: Int = 200,
        promptTokens: Int = 0, completionTokens: Int = 0, temperature: Double? = nil, maxTokens: Int? = nil,
        n: Int = 1, logprobs: Bool = false, topLogprobs: Int = 0, stream: Bool = false, toolCount: Int = 0,
        messages: [ChatMessage] = [], finishReason: String? = nil
    ) {
        self.time = time
        self.account = account
        self.apiKeyID = apiKeyID
        self.endUser = endUser
        self.ip = ip
        self.userAgent = userAgent
        self.model = model
        self.route = route
        self.status = status
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.temperature = temperature
        self.maxTokens = maxTokens
        self.n = n
        self.logprobs = logprobs
        self.topLogprobs = topLogprobs
        self.stream = stream
        self.toolCount = toolCount
        self.messages = messages
        self.finishReason = finishReason
    }

    /// The answer's tokens the client receives: completion tokens without hidden reasoning.
    public var visibleCompletionTokens: Int { max(0, completionTokens - reasoningTokens) }
}
