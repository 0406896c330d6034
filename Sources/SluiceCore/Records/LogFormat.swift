/// The log formats Sluice reads. A source's `format` selects the mapping to `RequestRecord`.
public enum LogFormat: String, Sendable, CaseIterable, Codable {
    /// LiteLLM proxy's `StandardLoggingPayload`, bare or wrapped in `standard_logging_object`.
    case litellm
    /// Sluice's own documented format: gateway metadata beside the Chat Completions request body.
    case openai
    /// nginx `log_format … escape=json` with `$request_body`.
    case nginx

    /// Where the account is, first non-empty wins, when the config does not say.
    public var defaultAccountPaths: [FieldPath] {
        switch self {
        case .litellm:
            return ["metadata.user_api_key_team_id", "metadata.user_api_key_hash", "end_user"].map(FieldPath.init)
        case .openai:
            return ["account", "api_key_id"].map(FieldPath.init)
        case .nginx:
            return [FieldPath("http_authorization")]
        }
    }
}

/// Why a line was not turned into a record. Codes are stable: they appear in `/v1/status` and metrics.
public enum BadLineReason: String, Sendable, CaseIterable, Codable, Comparable {
    case invalidUTF8 = "invalid_utf8"
    case tooLong = "too_long"
    case notJSON = "not_json"
    case notObject = "not_object"
    case missingAccount = "missing_account"
    case missingField = "missing_field"
    case wrongType = "wrong_type"
    case outOfRange = "out_of_range"
    case invalidBody = "invalid_body"
    /// A whole file matched by a source's glob that is not text (a compressed rotation): skipped, counted once.
    case binaryFile = "binary_file"

    public static func < (lhs: BadLineReason, rhs: BadLineReason) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// What became of one input line.
public enum ParseOutcome: Sendable, Equatable {
    case record(RequestRecord)
    /// Not a model request (an nginx health check, an empty line): nothing to count, nothing wrong.
    case skipped
    case bad(BadLineReason, String)
}

/// Turns lines of one format into records. Pure: no I/O, no clocks.
public struct LogParser: Sendable {
    public var format: LogFormat
    public var accountPaths: [FieldPath]
    public var keyHasher: KeyHasher
    public var maximumLineBytes: Int

    public init(
        format: LogFormat, accountPaths: [FieldPath]? = nil, keyHasher: KeyHasher, maximumLineBytes: Int = 1 << 20
    ) {
        self.format = format
        self.accountPaths = (accountPaths?.isEmpty ?? true) ? format.defaultAccountPaths : accountPaths!
        self.keyHasher = keyHasher
        self.maximumLineBytes = maximumLineBytes
    }

    /// Parses one line, without its newline. A trailing CR is tolerated; a blank line is skipped.
    public func parse(line: UnsafeBufferPointer<UInt8>) -> ParseOutcome {
        var tape = JSONTape()
        return parse(line: line, tape: &tape)
    }

    /// The same, parsing into `tape`, whose room a reader of many lines reuses.
    public func parse(line: UnsafeBufferPointer<UInt8>, tape: inout JSONTape) -> ParseOutcome {
        var line = line
        if let last = line.last, last == 0x0D { line = UnsafeBufferPointer(rebasing: line.dropLast()) }
        if line.count > maximumLineBytes {
            return .bad(.tooLong, "line of \(line.count) bytes exceeds \(maximumLineBytes)")
        }
        if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return .skipped }
        guard isValidUTF8(line) else { return .bad(.invalidUTF8, "line is not valid UTF-8") }
        do {
            try tape.parse(line)
        } catch {
            return .bad(.notJSON, "\(error.message) at byte \(error.offset)")
        }
        return tape.withRoot(of: line) { parse(object: $0) }
    }

    public func parse(line: String) -> ParseOutcome {
        var copy = line
        return copy.withUTF8 { parse(line: $0) }
    }

    /// Maps one JSON object (a line, or an element of an ingest batch).
    public func parse(object value: JSONNode) -> ParseOutcome {
        guard value.isObject else { return .bad(.notObject, "a log record must be a JSON object") }
        do throws(MappingError) {
            switch format {
            case .litellm: return try mapLiteLLM(value)
            case .openai: return try mapOpenAI(value)
            case .nginx: return try mapNginx(value)
            }
        } catch {
            return .bad(error.reason, error.message)
        }
    }

    // MARK: - Mappings

    func mapLiteLLM(_ outer: JSONNode) throws(MappingError) -> ParseOutcome {
        var payload = outer
        if let wrapped = outer["standard_logging_object"] {
            guard wrapped.isObject else { throw MappingError(.wrongType, "standard_logging_object is not an object") }
            payload = wrapped
        }
        let metadata = payload["metadata"]
        let keyID = try optionalString(metadata?["user_api_key_hash"], "metadata.user_api_key_hash")
        guard let account = try account(in: payload, keyID: keyID) else {
            throw MappingError(.missingAccount, "none of \(accountPathList) is set")
        }
        var record = RequestRecord(time: try eventTime(payload["startTime"], "startTime"), account: account)
        try requireStringOrAbsent(payload["id"], "id")
        record.apiKeyID = keyID
        record.endUser =
            try firstString(
                (payload["end_user"], "end_user"),
                (metadata?["user_api_key_end_user_id"], "metadata.user_api_key_end_user_id"))
        record.ip =
            try firstString(
                (payload["requester_ip_address"], "requester_ip_address"),
                (metadata?["requester_ip_address"], "metadata.requester_ip_address"))
        record.userAgent =
            try firstString((payload["user_agent"], "user_agent"), (metadata?["user_agent"], "metadata.user_agent"))
        record.model = try optionalString(payload["model"], "model")
        record.route = try optionalString(
            metadata?["user_api_key_request_route"], "metadata.user_api_key_request_route")
        let status = try optionalString(payload["status"], "status") ?? "success"
        if status == "success" {
            record.status = 200
        } else {
            record.status = Self.httpStatus(fromError: try optionalString(payload["error_str"], "error_str") ?? "")
        }
        record.promptTokens = try count(payload["prompt_tokens"], "prompt_tokens")
        record.completionTokens = try count(payload["completion_tokens"], "completion_tokens")
        record.reasoningTokens = try reasoningTokens(
            in: metadata?["usage_object"], "metadata.usage_object", of: record.completionTokens)
        if let parameters = payload["model_parameters"], !parameters.isNull {
            try applyParameters(parameters, to: &record, field: "model_parameters")
        }
        record.messages = try liteLLMMessages(payload["messages"])
        if let first = payload["response"]?["choices"]?.elements.first {
            record.finishReason = first["finish_reason"]?.stringValue
        }
        return .record(record)
    }

    func mapOpenAI(_ payload: JSONNode) throws(MappingError) -> ParseOutcome {
        let keyID = try optionalString(payload["api_key_id"], "api_key_id")
        guard let account = try account(in: payload, keyID: keyID) else {
            throw MappingError(.missingAccount, "none of \(accountPathList) is set")
        }
        var record = RequestRecord(time: try eventTime(payload["ts"], "ts"), account: account)
        try requireStringOrAbsent(payload["id"], "id")
        record.apiKeyID = keyID
        record.ip = try optionalString(payload["ip"], "ip")
        record.userAgent = try optionalString(payload["user_agent"], "user_agent")
        record.route = try optionalString(payload["route"], "route")
        if let status = payload["status"], !status.isNull { record.status = try httpStatus(status, "status") }
        guard let request = payload["request"], !request.isNull else {
            throw MappingError(.missingField, "request (the Chat Completions body) is missing")
        }
        guard request.isObject else { throw MappingError(.wrongType, "request must be an object") }
        try applyRequestBody(request, to: &record, field: "request")
        if let endUser = try optionalString(payload["end_user"], "end_user") { record.endUser = endUser }
        if let usage = payload["usage"], !usage.isNull {
            record.promptTokens = try count(usage["prompt_tokens"], "usage.prompt_tokens")
            record.completionTokens = try count(usage["completion_tokens"], "usage.completion_tokens")
            record.reasoningTokens = try reasoningTokens(in: usage, "usage", of: record.completionTokens)
        }
        let finishReason = try optionalString(payload["finish_reason"], "finish_reason")
        record.finishReason =
            finishReason ?? payload["response"]?["choices"]?.elements.first?["finish_reason"]?.stringValue
        return .record(record)
    }

    func mapNginx(_ payload: JSONNode) throws(MappingError) -> ParseOutcome {
        let method = payload["request_method"]?.stringValue ?? "POST"
        var bodyText = try optionalString(payload["request_body"], "request_body") ?? ""
        // Health checks and other bodiless requests are not model calls.
        if method != "POST" || bodyText.isEmpty || bodyText == "-" { return .skipped }
        // The body is a JSON text inside a string: parsed from the string's own bytes.
        let outcome = bodyText.withUTF8 { bytes -> Result<ParseOutcome, MappingError> in
            let tape: JSONTape
            do throws(JSONParseError) {
                tape = try JSONTape.parse(bytes)
            } catch {
                return .failure(MappingError(.invalidBody, "request_body is not JSON: \(error.message)"))
            }
            return tape.withRoot(of: bytes) { body in
                Result { () throws(MappingError) in try mapNginx(payload, body: body) }
            }
        }
        return try outcome.get()
    }

    func mapNginx(_ payload: JSONNode, body: JSONNode) throws(MappingError) -> ParseOutcome {
        guard body.isObject else { throw MappingError(.invalidBody, "request_body is not a JSON object") }
        let authorization = try optionalString(payload["http_authorization"], "http_authorization")
        let keyID = authorization.flatMap(KeyHasher.bearerToken).map(keyHasher.keyID(forRawKey:))
        guard let account = try account(in: payload, keyID: keyID) else {
            throw MappingError(.missingAccount, "none of \(accountPathList) is set")
        }
        var record = RequestRecord(time: try nginxTime(payload), account: account)
        try requireStringOrAbsent(payload["request_id"], "request_id")
        record.apiKeyID = keyID
        record.ip = try optionalString(payload["remote_addr"], "remote_addr")
        record.userAgent = try optionalString(payload["http_user_agent"], "http_user_agent")
        let uri = try optionalString(payload["request_uri"], "request_uri")
        record.route = uri.map { String($0.prefix { $0 != "?" }) }
        if let status = payload["status"], !status.isNull { record.status = try httpStatus(status, "status") }
        try applyRequestBody(body, to: &record, field: "request_body")
        // nginx does not see token usage: estimate it from bytes, about 4 of text a token. The
        // answer comes wrapped: a Chat Completions response spends ~370 bytes on its envelope (id,
        // model, choices, usage) however short the answer, and a streamed one a whole SSE event
        // of ~175 bytes a token plus ~450 for its first and last events (measured on the real
        // nginx → LiteLLM sample in shared/data). Counting the envelope as answer made a 3-token
        // classification look like a 100-token one.
        let promptCharacters = record.messages.reduce(0) { $0 + $1.text.utf8.count }
        record.promptTokens = promptCharacters / 4
        // `Int(_:)` traps beyond its range: a hostile "1e30" must not stop ingestion.
        if let sent = payload["body_bytes_sent"]?.numberValue, sent.isFinite, sent > 0, sent < 1e15 {
            let (envelope, perToken) = record.stream ? (450, 175) : (370, 4)
            record.completionTokens = max(0, Int(sent) - envelope) / perToken
        }
        return .record(record)
    }

    /// `$msec`, else `$time_iso8601`, else `$time_local`: whichever the `log_format` has.
    func nginxTime(_ payload: JSONNode) throws(MappingError) -> Double {
        if let msec = payload["msec"], !msec.isNull { return try eventTime(msec, "msec") }
        if let iso = payload["time_iso8601"], !iso.isNull { return try eventTime(iso, "time_iso8601") }
        if let local = payload["time_local"], !local.isNull {
            guard let text = local.stringValue, let time = ISO8601.parse(commonLogTime: text) else {
                throw MappingError(.wrongType, "time_local is not nginx's dd/Mon/yyyy:HH:MM:SS +hhmm")
            }
            return try eventTime(time, "time_local")
        }
        throw MappingError(.missingField, "msec is missing (nor is there time_iso8601 or time_local)")
    }

    // MARK: - Field helpers

    var accountPathList: String { accountPaths.map(\.description).joined(separator: ", ") }

    func account(in payload: JSONNode, keyID: String?) throws(MappingError) -> String? {
        for path in accountPaths {
            // The raw Authorization header is never an identity: its keyed hash is.
            if path.components.last == "http_authorization" {
                if let keyID { return keyID }
                continue
            }
            guard let value = payload.value(at: path), !value.isNull else { continue }
            guard let id = value.identifierValue else {
                if case .string = value { continue }  // empty string: try the next path
                throw MappingError(.wrongType, "\(path) must be a string")
            }
            return id
        }
        return nil
    }

    func eventTime(_ value: JSONNode?, _ field: @autoclosure () -> String) throws(MappingError) -> Double {
        guard let value, !value.isNull else { throw MappingError(.missingField, "\(field()) is missing") }
        switch value.kind {
        case .number: return try eventTime(value.numberValue!, field())
        case .string:
            let s = value.stringValue!
            guard let d = Double(s) ?? ISO8601.parse(s) else {
                throw MappingError(.wrongType, "\(field()) is neither epoch seconds nor an ISO 8601 time")
            }
            return try eventTime(d, field())
        default: throw MappingError(.wrongType, "\(field()) must be a number")
        }
    }

    func eventTime(_ seconds: Double, _ field: @autoclosure () -> String) throws(MappingError) -> Double {
        // 2001 … 2286 in seconds, milliseconds, microseconds or nanoseconds: the ranges do not
        // overlap, so the unit is never a guess (gateways and JavaScript loggers write milliseconds).
        guard seconds.isFinite, let scale = Self.epochScales.first(where: { seconds > 1e9 * $0 && seconds < 1e10 * $0 })
        else {
            throw MappingError(
                .outOfRange,
                "\(field()) \(seconds) is not a plausible epoch time in seconds, milliseconds, microseconds or nanoseconds"
            )
        }
        return scale == 1 ? seconds : seconds / scale
    }

    static let epochScales: [Double] = [1, 1e3, 1e6, 1e9]

    func firstString(_ a: (JSONNode?, String), _ b: (JSONNode?, String)) throws(MappingError) -> String? {
        if let first = try optionalString(a.0, a.1) { return first }
        return try optionalString(b.0, b.1)
    }

    func optionalString(_ value: JSONNode?, _ field: @autoclosure () -> String) throws(MappingError) -> String? {
        guard let value else { return nil }
        switch value.kind {
        case .null: return nil
        case .string: return value.rawBytes.isEmpty ? nil : value.stringValue
        default: throw MappingError(.wrongType, "\(field()) must be a string")
        }
    }

    /// A member no record field holds (a request's own id), checked as the string it must be.
    func requireStringOrAbsent(_ value: JSONNode?, _ field: @autoclosure () -> String) throws(MappingError) {
        guard let value, value.kind != .null, value.kind != .string else { return }
        throw MappingError(.wrongType, "\(field()) must be a string")
    }

    func integer(_ value: JSONNode, _ field: @autoclosure () -> String) throws(MappingError) -> Int {
        guard let d = value.numberValue else { throw MappingError(.wrongType, "\(field()) must be a number") }
        guard d.isFinite, d == d.rounded(), abs(d) < 1e12 else {
            throw MappingError(.outOfRange, "\(field()) \(d) is not a usable integer")
        }
        return Int(d)
    }

    /// An HTTP status code: 100 to 599.
    func httpStatus(_ value: JSONNode, _ field: @autoclosure () -> String) throws(MappingError) -> Int {
        let status = try integer(value, field())
        guard (100...599).contains(status) else {
            throw MappingError(.outOfRange, "\(field()) \(status) is not an HTTP status")
        }
        return status
    }

    /// A token count: a JSON number, absent or null for zero, never negative or absurd.
    func count(_ value: JSONNode?, _ field: @autoclosure () -> String) throws(MappingError) -> Int {
        guard let value, !value.isNull else { return 0 }
        guard value.kind == .number, let d = value.numberValue else {
            throw MappingError(.wrongType, "\(field()) must be a number")
        }
        guard d.isFinite, d >= 0, d <= 50_000_000, d == d.rounded() else {
            throw MappingError(.outOfRange, "\(field()) \(d) is out of range")
        }
        return Int(d)
    }

    /// `usage.completion_tokens_details.reasoning_tokens`, at most the completion it is part of; 0
    /// when the log has none. A detail of the usage, so a malformed one is ignored, not the request.
    func reasoningTokens(in usage: JSONNode?, _ field: String, of completion: Int) throws(MappingError) -> Int {
        guard let details = usage?["completion_tokens_details"], details.isObject,
            let tokens = try? count(details["reasoning_tokens"], "\(field).completion_tokens_details.reasoning_tokens")
        else { return 0 }
        return min(tokens, completion)
    }

    func applyRequestBody(_ body: JSONNode, to record: inout RequestRecord, field: String) throws(MappingError) {
        record.model = try optionalString(body["model"], "\(field).model")
        record.endUser = try optionalString(body["user"], "\(field).user")
        try applyParameters(body, to: &record, field: field)
        record.messages = try messages(body["messages"], "\(field).messages")
    }

    func applyParameters(_ parameters: JSONNode, to record: inout RequestRecord, field: String) throws(MappingError) {
        guard parameters.isObject else { throw MappingError(.wrongType, "\(field) must be an object") }
        if let t = parameters["temperature"], !t.isNull {
            guard t.kind == .number, let d = t.numberValue, d.isFinite, d >= 0, d <= 10 else {
                throw MappingError(.wrongType, "\(field).temperature must be a number from 0 to 10")
            }
            record.temperature = d
        }
        if let m = parameters["max_tokens"], !m.isNull { record.maxTokens = try count(m, "\(field).max_tokens") }
        if let m = parameters["max_completion_tokens"], !m.isNull {
            record.maxTokens = try count(m, "\(field).max_completion_tokens")
        }
        if let n = parameters["n"], !n.isNull {
            let samples = try count(n, "\(field).n")
            record.n = max(1, samples)
        }
        if let l = parameters["logprobs"], !l.isNull {
            switch l.kind {
            case .true, .false: record.logprobs = l.kind == .true
            // The legacy completions API takes an integer number of logprobs.
            case .number:
                record.logprobs = true
                record.topLogprobs = max(record.topLogprobs, Int(max(0, min(l.numberValue!, 100))))
            default: throw MappingError(.wrongType, "\(field).logprobs must be a boolean")
            }
        }
        if let t = parameters["top_logprobs"], !t.isNull {
            record.topLogprobs = try count(t, "\(field).top_logprobs")
            if record.topLogprobs > 0 { record.logprobs = true }
        }
        if let s = parameters["stream"], !s.isNull { record.stream = s.boolValue ?? false }
        if let tools = parameters["tools"], tools.isArray { record.toolCount = tools.count }
        if let functions = parameters["functions"], functions.isArray { record.toolCount += functions.count }
    }

    func messages(_ value: JSONNode?, _ field: @autoclosure () -> String) throws(MappingError) -> [ChatMessage] {
        guard let value else { return [] }
        switch value.kind {
        case .null: throw MappingError(.wrongType, "\(field()) is null")
        case .string: return [ChatMessage(role: "user", text: value.stringValue!)]
        case .array:
            var result: [ChatMessage] = []
            result.reserveCapacity(value.count)
            for item in value.elements {
                guard item.isObject else { throw MappingError(.wrongType, "\(field()) must hold objects") }
                result.append(Self.message(item))
            }
            return result
        default: throw MappingError(.wrongType, "\(field()) must be an array")
        }
    }

    /// LiteLLM types its `messages` as `Optional[Union[str, list, dict]]`: absent or null when it
    /// logged none (the request still counts), a string for text completions, a list of messages
    /// (or of strings, for calls that take plain inputs), or one message as a dict.
    func liteLLMMessages(_ value: JSONNode?) throws(MappingError) -> [ChatMessage] {
        guard let value, !value.isNull else { return [] }
        switch value.kind {
        case .object: return value["role"] != nil || value["content"] != nil ? [Self.message(value)] : []
        case .array:
            var result: [ChatMessage] = []
            result.reserveCapacity(value.count)
            for item in value.elements {
                if item.isObject {
                    result.append(Self.message(item))
                } else if let text = item.stringValue {
                    result.append(ChatMessage(role: "user", text: text))
                }
            }
            return result
        default: return try messages(value, "messages")
        }
    }

    static func message(_ item: JSONNode) -> ChatMessage {
        let hasToolCalls =
            (item["tool_calls"].map { $0.isArray && $0.count > 0 } ?? false) || item["function_call"] != nil
        return ChatMessage(
            role: item["role"]?.stringValue ?? "user", text: Self.text(of: item["content"]), hasToolCalls: hasToolCalls)
    }

    /// The text of a message's content: a string, or the `text` of its parts.
    static func text(of content: JSONNode?) -> String {
        guard let content else { return "" }
        switch content.kind {
        case .string: return content.stringValue!
        case .array:
            return content.elements.compactMap { part -> String? in part.stringValue ?? part["text"]?.stringValue }
                .joined(separator: "\n")
        default: return ""
        }
    }

    /// LiteLLM logs failures as text; the status is in it where a provider gave one.
    static func httpStatus(fromError text: String) -> Int {
        if text.contains("RateLimit") || text.contains("429") || text.contains("rate limit") { return 429 }
        for code in [400, 401, 403, 404, 408, 413, 422, 500, 502, 503, 504] where text.contains(String(code)) {
            return code
        }
        return 500
    }
}

struct MappingError: Error {
    let reason: BadLineReason
    let message: String
    init(_ reason: BadLineReason, _ message: String) {
        self.reason = reason
        self.message = message
    }
}

/// Minimal ISO 8601 parsing (`2026-11-25T18:17:01Z`, `+00:00`, fractions) without Foundation.
enum ISO8601 {
    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// The common log format's time, as nginx's `$time_local` writes it: `25/Nov/2026:18:17:01 +0000`.
    static func parse(commonLogTime text: String) -> Double? {
        let bytes = Array(text.utf8)
        guard bytes.count == 26, bytes[2] == UInt8(ascii: "/"), bytes[6] == UInt8(ascii: "/"),
            bytes[11] == UInt8(ascii: ":"), bytes[20] == UInt8(ascii: " "),
            let month = months.firstIndex(of: String(decoding: bytes[3..<6], as: UTF8.self))
        else { return nil }
        let digits = { (range: Range<Int>) in String(decoding: bytes[range], as: UTF8.self) }
        let sign = String(decoding: bytes[21..<22], as: UTF8.self)
        let iso =
            "\(digits(7..<11))-\(month < 9 ? "0" : "")\(month + 1)-\(digits(0..<2))T\(digits(12..<20))"
            + "\(sign)\(digits(22..<24)):\(digits(24..<26))"
        return parse(iso)
    }

    static func parse(_ text: String) -> Double? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 19 else { return nil }
        func number(_ from: Int, _ length: Int) -> Int? {
            var value = 0
            for i in from..<(from + length) {
                guard i < bytes.count, (48...57).contains(bytes[i]) else { return nil }
                value = value * 10 + Int(bytes[i] - 48)
            }
            return value
        }
        guard let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
            let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2),
            (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        var index = 19
        var fraction = 0.0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            var scale = 0.1
            while index < bytes.count, (48...57).contains(bytes[index]) {
                fraction += Double(bytes[index] - 48) * scale
                scale /= 10
                index += 1
            }
        }
        var offset = 0
        if index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "Z"), UInt8(ascii: "z"): break
            case UInt8(ascii: "+"), UInt8(ascii: "-"):
                guard let h = number(index + 1, 2), let m = number(index + 4, 2) else { return nil }
                offset = (h * 3600 + m * 60) * (bytes[index] == UInt8(ascii: "+") ? 1 : -1)
            default: return nil
            }
        }
        // Days from civil date (Howard Hinnant's algorithm).
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let monthIndex = (month + 9) % 12
        let dayOfYear = (153 * monthIndex + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        return Double(days * 86400 + hour * 3600 + minute * 60 + second - offset) + fraction
    }
}
