/// Sluice's configuration: what `Config/sluice.yaml` says, validated. Built from the generic
/// tree a YAML or JSON parser returns, so that every wrong key, type or value is one clear line.
public struct Configuration: Sendable, Equatable {
    public struct Source: Sendable, Equatable {
        public enum StartAt: String, Sendable { case beginning, end }
        public var name: String
        public var path: String
        public var format: LogFormat
        public var account: [FieldPath]
        public var startAt: StartAt

        public init(
            name: String, path: String, format: LogFormat, account: [FieldPath]? = nil, startAt: StartAt = .beginning
        ) {
            self.name = name
            self.path = path
            self.format = format
            self.account = account ?? format.defaultAccountPaths
            self.startAt = startAt
        }
    }

    public struct Server: Sendable, Equatable {
        public init() {}
        public var host = "127.0.0.1"
        public var port = 8780
        public var maxBodyBytes = 16 << 20
        public var publicMetrics = true
    }

    public struct Scoring: Sendable, Equatable {
        public init() {}
        /// Wall-clock period of scoring passes in `serve`.
        public var interval: Double = 30
        /// Event-time period: a pass runs whenever the logs' own time crosses it, so a replay
        /// scores exactly as the live run did.
        public var eventInterval: Double = 900
        public var policy = ScoringPolicy()
    }

    public struct Policy: Sendable, Equatable {
        public init() {}
        public var autoBlock = false
        public var level: Level = .block
        public var duration: Double? = 7 * 86400
    }

    public struct Token: Sendable, Equatable {
        public enum Role: String, Sendable, CaseIterable { case admin, reader, gateway, ingest }
        public var name: String
        public var role: Role
        /// SHA-256 of the token, lower-case hex.
        public var sha256: String
    }

    public struct Ingest: Sendable, Equatable {
        public init() {}
        public var maxLineBytes = 1 << 20
        public var batchLines = 2000
        public var pollInterval: Double = 0.25
    }

    public var storePath = "sluice.db"
    public var sources: [Source] = []
    public var server = Server()
    public var scoring = Scoring()
    public var policy = Policy()
    public var tokens: [Token] = []
    /// Secret for the keyed hash of API keys seen in `Authorization` headers.
    public var keySecret = "sluice-default-key-secret"
    public var ingest = Ingest()

    public init() {}
}

/// A configuration mistake, named by its path in the file: `sources[0].format: unknown format "jsonl" …`.
public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var message: String
    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }
    public var description: String { path.isEmpty ? message : "\(path): \(message)" }
}

extension Configuration {
    /// Validates a parsed YAML/JSON tree (dictionaries, arrays, strings, numbers, booleans).
    public init(tree: Any?) throws(ConfigurationError) {
        self.init()
        guard let tree else { return }
        let root = try Node(tree, "").object(allowed: [
            "store", "sources", "server", "scoring", "policy", "auth", "ingest",
        ])
        if let store = root["store"] {
            let o = try store.object(allowed: ["path"])
            if let p = o["path"] { storePath = try p.string() }
        }
        if let list = root["sources"] {
            for (i, item) in try list.array().enumerated() {
                sources.append(try Self.source(item, index: i))
            }
            let names = sources.map(\.name)
            if Set(names).count != names.count {
                throw ConfigurationError(path: "sources", message: "source names must be unique (set `name:` on each)")
            }
        }
        if let server = root["server"] {
            let o = try server.object(allowed: ["host", "port", "max_body_bytes", "public_metrics"])
            if let v = o["host"] { self.server.host = try v.string() }
            if let v = o["port"] { self.server.port = try v.integer(in: 0...65535) }
            if let v = o["max_body_bytes"] { self.server.maxBodyBytes = try v.integer(in: 1024...(1 << 30)) }
            if let v = o["public_metrics"] { self.server.publicMetrics = try v.bool() }
        }
        if let scoring = root["scoring"] {
            let o = try scoring.object(allowed: [
                "interval", "event_interval", "watch", "review", "block", "min_requests",
            ])
            if let v = o["interval"] { self.scoring.interval = try v.duration() }
            if let v = o["event_interval"] { self.scoring.eventInterval = try v.duration() }
            if let v = o["watch"] { self.scoring.policy.watch = try v.fraction() }
            if let v = o["review"] { self.scoring.policy.review = try v.fraction() }
            if let v = o["block"] { self.scoring.policy.block = try v.fraction() }
            if let v = o["min_requests"] { self.scoring.policy.minimumRequests = try v.integer(in: 0...10_000_000) }
            let p = self.scoring.policy
            guard p.watch <= p.review, p.review <= p.block else {
                throw ConfigurationError(path: "scoring", message: "thresholds must satisfy watch ≤ review ≤ block")
            }
        }
        if let policy = root["policy"] {
            let o = try policy.object(allowed: ["auto_block", "level", "duration"])
            if let v = o["auto_block"] { self.policy.autoBlock = try v.bool() }
            if let v = o["level"] {
                let text = try v.string()
                guard let level = Level(rawValue: text), level != .none else {
                    throw ConfigurationError(
                        path: v.path, message: "unknown level \"\(text)\"; use watch, review or block")
                }
                self.policy.level = level
            }
            if let v = o["duration"] { self.policy.duration = try v.duration() }
        }
        if let auth = root["auth"] {
            let o = try auth.object(allowed: ["tokens", "key_secret"])
            if let v = o["key_secret"] { keySecret = try v.string() }
            if let list = o["tokens"] {
                for item in try list.array() {
                    let t = try item.object(allowed: ["name", "role", "sha256"])
                    guard let name = t["name"], let role = t["role"], let hash = t["sha256"] else {
                        throw ConfigurationError(path: item.path, message: "a token needs name, role and sha256")
                    }
                    let roleText = try role.string()
                    guard let parsedRole = Token.Role(rawValue: roleText) else {
                        throw ConfigurationError(
                            path: role.path,
                            message: "unknown role \"\(roleText)\"; use admin, reader, gateway or ingest")
                    }
                    let hex = try hash.string().lowercased()
                    guard hex.count == 64, hex.allSatisfy(\.isHexDigit) else {
                        throw ConfigurationError(
                            path: hash.path,
                            message: "must be the SHA-256 of the token in hex (printf %s TOKEN | sha256sum)")
                    }
                    tokens.append(Token(name: try name.string(), role: parsedRole, sha256: hex))
                }
            }
        }
        if let ingest = root["ingest"] {
            let o = try ingest.object(allowed: ["max_line_bytes", "batch_lines", "poll_interval"])
            if let v = o["max_line_bytes"] { self.ingest.maxLineBytes = try v.integer(in: 1024...(1 << 30)) }
            if let v = o["batch_lines"] { self.ingest.batchLines = try v.integer(in: 1...1_000_000) }
            if let v = o["poll_interval"] { self.ingest.pollInterval = try v.duration() }
        }
    }

    static func source(_ item: Node, index: Int) throws(ConfigurationError) -> Source {
        let o = try item.object(allowed: ["name", "path", "format", "account", "start_at"])
        guard let path = o["path"] else {
            throw ConfigurationError(path: item.path, message: "a source needs a path (a file or a glob)")
        }
        guard let format = o["format"] else {
            throw ConfigurationError(path: item.path, message: "a source needs a format: litellm, openai or nginx")
        }
        let formatText = try format.string()
        guard let parsedFormat = LogFormat(rawValue: formatText) else {
            throw ConfigurationError(
                path: format.path, message: "unknown format \"\(formatText)\"; use litellm, openai or nginx")
        }
        var account = parsedFormat.defaultAccountPaths
        if let list = o["account"] {
            account = []
            for p in try list.array() { account.append(FieldPath(try p.string())) }
            if account.isEmpty { throw ConfigurationError(path: list.path, message: "list at least one field path") }
        }
        var startAt = Source.StartAt.beginning
        if let v = o["start_at"] {
            let text = try v.string()
            guard let parsed = Source.StartAt(rawValue: text) else {
                throw ConfigurationError(path: v.path, message: "unknown start_at \"\(text)\"; use beginning or end")
            }
            startAt = parsed
        }
        let name = try o["name"]?.string() ?? "source\(index)"
        return Source(name: name, path: try path.string(), format: parsedFormat, account: account, startAt: startAt)
    }

    /// Parses `30s`, `15m`, `2h`, `7d`, `250ms`, or a number of seconds.
    public static func parseDuration(_ text: String) -> Double? {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86400), ("w", 604_800)]
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            if let value = Double(text.dropLast(suffix.count)), value >= 0, value.isFinite { return value * scale }
        }
        if let value = Double(text), value >= 0, value.isFinite { return value }
        return nil
    }
}

/// A value in the configuration tree and where it is.
struct Node {
    let value: Any
    let path: String
    init(_ value: Any, _ path: String) {
        self.value = value
        self.path = path
    }

    func child(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func object(allowed: Set<String>) throws(ConfigurationError) -> [String: Node] {
        guard let dictionary = value as? [String: Any] else {
            throw ConfigurationError(path: path, message: "expected a mapping of keys to values")
        }
        var result: [String: Node] = [:]
        for (key, v) in dictionary {
            guard allowed.contains(key) else {
                throw ConfigurationError(
                    path: child(key),
                    message: "unknown key; expected one of \(allowed.sorted().joined(separator: ", "))")
            }
            result[key] = Node(v, child(key))
        }
        return result
    }

    func array() throws(ConfigurationError) -> [Node] {
        guard let list = value as? [Any] else { throw ConfigurationError(path: path, message: "expected a list") }
        return list.enumerated().map { Node($1, "\(path)[\($0)]") }
    }

    func string() throws(ConfigurationError) -> String {
        if let s = value as? String { return s }
        throw ConfigurationError(path: path, message: "expected a string")
    }

    func bool() throws(ConfigurationError) -> Bool {
        if let b = value as? Bool { return b }
        throw ConfigurationError(path: path, message: "expected true or false")
    }

    func number() throws(ConfigurationError) -> Double {
        if let i = value as? Int { return Double(i) }
        if let d = value as? Double { return d }
        throw ConfigurationError(path: path, message: "expected a number")
    }

    func integer(in range: ClosedRange<Int>) throws(ConfigurationError) -> Int {
        guard let i = value as? Int else { throw ConfigurationError(path: path, message: "expected an integer") }
        guard range.contains(i) else {
            throw ConfigurationError(
                path: path, message: "\(i) is out of range \(range.lowerBound)…\(range.upperBound)")
        }
        return i
    }

    func fraction() throws(ConfigurationError) -> Double {
        let d = try number()
        guard (0...1).contains(d) else {
            throw ConfigurationError(path: path, message: "expected a number from 0 to 1")
        }
        return d
    }

    func duration() throws(ConfigurationError) -> Double {
        if let i = value as? Int, i >= 0 { return Double(i) }
        if let d = value as? Double, d >= 0 { return d }
        if let s = value as? String, let d = Configuration.parseDuration(s) { return d }
        throw ConfigurationError(path: path, message: "expected a duration such as 30s, 15m, 2h or 7d")
    }
}
