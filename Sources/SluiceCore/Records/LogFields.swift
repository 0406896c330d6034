extension LogFormat {
    /// The members of a line the mapping of this format reads, with the account paths: a line is
    /// parsed keeping only these (`JSONValue.parse(bytes:keeping:)`), the rest is checked and
    /// skipped. A field a mapping starts reading must be added here; debug builds check every
    /// line they parse against a full parse, so a test that reads the field finds the omission.
    public func fields(accountPaths: [FieldPath]) -> JSONFields {
        let message = JSONFields.named([
            "role": .all, "content": .named(["text": .all]), "tool_calls": .none, "function_call": .none,
        ])
        // Only the count of tools is read.
        let parameters: [String: JSONFields] = [
            "temperature": .all, "max_tokens": .all, "max_completion_tokens": .all, "n": .all, "logprobs": .all,
            "top_logprobs": .all, "stream": .all, "tools": .none, "functions": .none,
        ]
        let response = JSONFields.named(["choices": .named(["finish_reason": .all])])
        switch self {
        case .litellm:
            let payload = JSONFields.named(
                [
                    "metadata": .named([
                        "user_api_key_hash": .all, "user_api_key_end_user_id": .all, "requester_ip_address": .all,
                        "user_agent": .all, "user_api_key_request_route": .all,
                    ]),
                    "startTime": .all, "id": .all, "end_user": .all, "requester_ip_address": .all, "user_agent": .all,
                    "model": .all, "status": .all, "error_str": .all, "prompt_tokens": .all, "completion_tokens": .all,
                    "model_parameters": .named(parameters), "messages": message, "response": response,
                ]
            ).adding(accountPaths)
            guard case .only(let members) = payload else { return .all }
            return .only(JSONFields.Members(members.list + [JSONFields.Member("standard_logging_object", payload)]))
        case .openai:
            return JSONFields.named([
                "api_key_id": .all, "ts": .all, "id": .all, "ip": .all, "user_agent": .all, "route": .all,
                "status": .all, "end_user": .all, "finish_reason": .all, "response": response,
                "usage": .named(["prompt_tokens": .all, "completion_tokens": .all]),
                "request": .named(
                    parameters.merging(["model": .all, "user": .all, "messages": message]) { a, _ in a }),
            ]).adding(accountPaths)
        case .nginx:
            return JSONFields.named([
                "request_method": .all, "request_body": .all, "http_authorization": .all, "msec": .all,
                "request_id": .all, "remote_addr": .all, "http_user_agent": .all, "request_uri": .all, "status": .all,
                "body_bytes_sent": .all,
            ]).adding(accountPaths)
        }
    }
}

extension JSONFields {
    /// Only the named members.
    static func named(_ members: [String: JSONFields]) -> JSONFields {
        .only(Members(members.sorted { $0.key < $1.key }.map { Member($0.key, $0.value) }))
    }
}
