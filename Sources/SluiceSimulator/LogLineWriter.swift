import Foundation

/// Serialises a request as a LiteLLM 1.82.6 `StandardLoggingPayload` (the bare object, one line). The field set is the
/// subset of the real payload that carries meaning, in the same shapes; cost and model-map blocks are left out to keep
/// lines near their usual size.
struct LogLineWriter {
    struct AccountIdentity {
        var teamID: String
        var keyHashes: [String]
    }

    let identities: [AccountIdentity]
    let seed: UInt64

    func append(_ request: SimulatedRequest, to line: inout JSONLineBuffer) {
        var ids = SimulationRandom(seed: seed, 0x1D, request.serial)
        let requestID = "chatcmpl-" + ids.hex(24)
        let traceID = [ids.hex(8), ids.hex(4), "4" + ids.hex(3), "a" + ids.hex(3), ids.hex(12)].joined(separator: "-")
        let identity = identities[request.accountIndex]
        let keyHash = identity.keyHashes[request.keyIndex % identity.keyHashes.count]
        let endMicros = request.startMicros + request.latencyMicros
        let promptTokens = request.promptTokens
        let completionTokens = request.completionTokens
        let isSuccess: Bool
        if case .success = request.outcome { isSuccess = true } else { isSuccess = false }
        let stream = request.parameters.stream ?? false

        line.raw("{")
        line.key("id", first: true); line.plainString(requestID)
        line.key("trace_id"); line.plainString(traceID)
        line.key("call_type"); line.raw("\"acompletion\"")
        line.key("cache_hit"); line.raw("false")
        line.key("stream"); line.bool(stream)
        line.key("status"); line.raw(isSuccess ? "\"success\"" : "\"failure\"")
        line.key("status_fields")
        line.raw(
            isSuccess
                ? "{\"llm_api_status\":\"success\",\"guardrail_status\":\"not_run\"}"
                : "{\"llm_api_status\":\"failure\",\"guardrail_status\":\"not_run\"}")
        line.key("custom_llm_provider"); line.raw("\"openai\"")
        line.key("saved_cache_cost"); line.raw("0.0")
        line.key("startTime"); line.epochSeconds(micros: request.startMicros)
        line.key("endTime"); line.epochSeconds(micros: endMicros)
        line.key("completionStartTime")
        let firstTokenMicros = min(request.latencyMicros, 150_000 + request.latencyMicros / 20)
        line.epochSeconds(micros: request.startMicros + firstTokenMicros)
        line.key("response_time"); line.double(Double(request.latencyMicros) / 1_000_000)
        line.key("model"); line.plainString(request.model)
        line.key("metadata")
        appendMetadata(request, keyHash: keyHash, teamID: identity.teamID, to: &line)
        line.key("cache_key"); line.raw("null")
        line.key("response_cost"); line.raw("0.0")
        line.key("total_tokens"); line.int(promptTokens + completionTokens)
        line.key("prompt_tokens"); line.int(promptTokens)
        line.key("completion_tokens"); line.int(completionTokens)
        line.key("request_tags"); line.raw("[]")
        line.key("end_user"); line.plainString(request.endUser ?? "")
        line.key("api_base"); line.raw("\"https://api.upstream.example/v1\"")
        line.key("model_group"); line.plainString(request.model)
        line.key("requester_ip_address"); line.plainString(request.ipAddress)
        line.key("user_agent"); line.string(JSONText(request.userAgent))
        line.key("messages"); appendMessages(request.messages, to: &line)
        line.key("response")
        appendResponse(
            request, id: requestID, promptTokens: promptTokens, completionTokens: completionTokens,
            to: &line)
        line.key("model_parameters"); appendParameters(request, to: &line)
        if case .failure(let statusCode, let errorClass, let message) = request.outcome {
            let errorText = JSONText("litellm.\(errorClass): \(errorClass): OpenAIException - \(message)")
            line.key("error_str"); line.string(errorText)
            line.key("error_information")
            line.raw("{\"error_code\":\"\(statusCode)\",\"error_class\":\"\(errorClass)\",\"llm_provider\":\"openai\",")
            line.raw("\"traceback\":\"\",\"error_message\":")
            line.string(errorText)
            line.raw("}")
        } else {
            line.key("error_str"); line.raw("null")
            line.key("error_information"); line.raw("null")
        }
        line.raw("}\n")
    }

    private func appendMetadata(
        _ request: SimulatedRequest, keyHash: String, teamID: String,
        to line: inout JSONLineBuffer
    ) {
        line.raw("{")
        line.key("user_api_key_hash", first: true); line.plainString(keyHash)
        line.key("user_api_key_alias"); line.raw("null")
        line.key("user_api_key_team_id"); line.plainString(teamID)
        line.key("user_api_key_org_id"); line.raw("null")
        line.key("user_api_key_user_id"); line.raw("null")
        line.key("user_api_key_team_alias"); line.raw("null")
        line.key("user_api_key_end_user_id"); line.optionalPlainString(request.endUser)
        line.key("user_api_key_request_route"); line.raw("\"/v1/chat/completions\"")
        line.key("requester_ip_address"); line.plainString(request.ipAddress)
        line.key("user_agent"); line.string(JSONText(request.userAgent))
        line.key("requester_custom_headers"); line.raw("{\"x-forwarded-for\":"); line.plainString(request.ipAddress)
        line.raw("}")
        line.raw("}")
    }

    private func appendMessages(_ messages: [ChatMessage], to line: inout JSONLineBuffer) {
        line.raw("[")
        for (position, message) in messages.enumerated() {
            if position > 0 { line.raw(",") }
            line.raw("{\"role\":\"")
            line.raw(message.role.rawValue)
            line.raw("\",\"content\":")
            if let content = message.content { line.string(content) } else { line.raw("null") }
            if !message.toolCalls.isEmpty {
                line.key("tool_calls"); appendToolCalls(message.toolCalls, to: &line)
            }
            if let toolCallID = message.toolCallID {
                line.key("tool_call_id"); line.plainString(toolCallID)
            }
            line.raw("}")
        }
        line.raw("]")
    }

    private func appendToolCalls(_ calls: [ToolCall], to line: inout JSONLineBuffer) {
        line.raw("[")
        for (position, call) in calls.enumerated() {
            if position > 0 { line.raw(",") }
            line.raw("{\"id\":"); line.plainString(call.id)
            line.raw(",\"type\":\"function\",\"function\":{\"name\":"); line.plainString(call.name)
            line.raw(",\"arguments\":"); line.string(call.arguments)
            line.raw("}}")
        }
        line.raw("]")
    }

    private func appendResponse(
        _ request: SimulatedRequest, id: String, promptTokens: Int, completionTokens: Int,
        to line: inout JSONLineBuffer
    ) {
        guard case .success(let choices) = request.outcome else {
            line.raw("{}")
            return
        }
        line.raw("{")
        line.key("id", first: true); line.plainString(id)
        line.key("created"); line.int(Int(request.startMicros / 1_000_000))
        line.key("model"); line.plainString(request.model)
        line.key("object"); line.raw("\"chat.completion\"")
        line.key("system_fingerprint"); line.raw("null")
        line.key("choices"); line.raw("[")
        for (position, choice) in choices.enumerated() {
            if position > 0 { line.raw(",") }
            line.raw("{\"finish_reason\":"); line.plainString(choice.finishReason)
            line.raw(",\"index\":"); line.int(position)
            line.raw(",\"message\":{\"content\":")
            if let content = choice.content { line.string(content) } else { line.raw("null") }
            line.raw(",\"role\":\"assistant\",\"tool_calls\":")
            if choice.toolCalls.isEmpty { line.raw("null") } else { appendToolCalls(choice.toolCalls, to: &line) }
            line.raw(",\"function_call\":null}")
            if request.parameters.logprobs == true {
                // The real payload carries the token log-probabilities; a placeholder keeps the line short.
                line.raw(",\"logprobs\":{\"content\":[]}")
            }
            line.raw("}")
        }
        line.raw("]")
        line.key("usage")
        line.raw("{\"completion_tokens\":"); line.int(completionTokens)
        line.raw(",\"prompt_tokens\":"); line.int(promptTokens)
        line.raw(",\"total_tokens\":"); line.int(promptTokens + completionTokens)
        line.raw("}}")
    }

    private func appendParameters(_ request: SimulatedRequest, to line: inout JSONLineBuffer) {
        let parameters = request.parameters
        line.raw("{")
        var first = true
        func key(_ name: StaticString) {
            line.key(name, first: first)
            first = false
        }
        if let temperature = parameters.temperature { key("temperature"); line.double(temperature) }
        if let topP = parameters.topP { key("top_p"); line.double(topP) }
        if let maxTokens = parameters.maxTokens { key("max_tokens"); line.int(maxTokens) }
        if let n = parameters.n { key("n"); line.int(n) }
        if let logprobs = parameters.logprobs { key("logprobs"); line.bool(logprobs) }
        if let topLogprobs = parameters.topLogprobs { key("top_logprobs"); line.int(topLogprobs) }
        if let stream = parameters.stream {
            key("stream"); line.bool(stream)
            if stream { key("stream_options"); line.raw("{\"include_usage\":true}") }
        }
        if let tools = parameters.tools { key("tools"); line.bytes.append(contentsOf: tools) }
        if let endUser = request.endUser { key("user"); line.plainString(endUser) }
        line.raw("}")
    }
}
