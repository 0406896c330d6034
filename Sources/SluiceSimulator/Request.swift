import Foundation

/// A tool call made by the assistant in an agent loop.
struct ToolCall: Sendable {
    var id: String
    var name: String
    /// The arguments object, as the JSON text the API puts in a string.
    var arguments: JSONText
}

enum MessageRole: String, Sendable {
    case system, user, assistant, tool
}

struct ChatMessage: Sendable {
    var role: MessageRole
    var content: JSONText?
    var toolCalls: [ToolCall] = []
    var toolCallID: String? = nil

    static func system(_ text: JSONText) -> ChatMessage { ChatMessage(role: .system, content: text) }
    static func user(_ text: JSONText) -> ChatMessage { ChatMessage(role: .user, content: text) }
    static func assistant(_ text: JSONText) -> ChatMessage { ChatMessage(role: .assistant, content: text) }

    var estimatedTokens: Int {
        4 + (content?.estimatedTokens ?? 0) + toolCalls.reduce(0) { $0 + 8 + $1.arguments.estimatedTokens }
    }
}

/// The request parameters a client sets; `nil` means the client left it out.
struct RequestParameters: Sendable {
    var temperature: Double? = nil
    var topP: Double? = nil
    var maxTokens: Int? = nil
    var n: Int? = nil
    var logprobs: Bool? = nil
    var topLogprobs: Int? = nil
    var stream: Bool? = nil
    /// The `tools` array as raw JSON.
    var tools: [UInt8]? = nil
}

/// One choice of a successful completion.
struct CompletionChoice: Sendable {
    var finishReason: String
    var content: JSONText?
    var toolCalls: [ToolCall] = []
    var tokens: Int
}

enum RequestOutcome: Sendable {
    case success([CompletionChoice])
    case failure(statusCode: Int, errorClass: String, message: String)
}

/// One proxied call, before it is written as a log line.
struct SimulatedRequest: Sendable {
    /// Event time of the request in epoch microseconds.
    var startMicros: Int64
    var latencyMicros: Int64 = 0
    var accountIndex: Int
    var keyIndex: Int = 0
    var endUser: String? = nil
    var ipAddress: String
    var userAgent: String
    var model: String
    var messages: [ChatMessage]
    var parameters: RequestParameters
    var outcome: RequestOutcome
    /// Unique per run: feeds the request id.
    var serial: UInt64 = 0

    var promptTokens: Int { 3 + messages.reduce(0) { $0 + $1.estimatedTokens } }

    var completionTokens: Int {
        if case .success(let choices) = outcome { return choices.reduce(0) { $0 + $1.tokens } }
        return 0
    }
}
