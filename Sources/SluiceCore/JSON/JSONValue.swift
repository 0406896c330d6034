/// A JSON value decoded whole, owning its text: for a JSON text inside a string (a path into
/// nginx's `request_body`) and for tests. Log lines are read in place, through `JSONTape`.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.number(let a), .number(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.array(let a), .array(let b)): return a == b
        case (.object(let a), .object(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    /// The member named `key` of an object, or nil.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        for (name, value) in members where name == key { return value }
        return nil
    }

    /// Follows a dotted path such as `metadata.user_api_key_team_id`.
    /// A string member that itself holds JSON (nginx's `request_body`) is descended into.
    public func value(at path: FieldPath) -> JSONValue? {
        var current = self
        for component in path.components {
            if case .string(let text) = current, let nested = try? JSONValue.parse(text) {
                current = nested
            }
            guard let next = current[component] else { return nil }
            current = next
        }
        return current
    }

    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// A number, or a string that holds one (nginx logs every variable as a string).
    public var numberValue: Double? {
        switch self {
        case .number(let d): return d
        case .string(let s): return Double(s)
        default: return nil
        }
    }

    public var boolValue: Bool? {
        switch self {
        case .bool(let b): return b
        case .string("true"): return true
        case .string("false"): return false
        default: return nil
        }
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// A string of an id-like member: strings as they are, integers printed without a fraction.
    public var identifierValue: String? {
        switch self {
        case .string(let s): return s.isEmpty ? nil : s
        case .number(let d) where d == d.rounded() && abs(d) < 1e15: return String(Int64(d))
        default: return nil
        }
    }
}

/// A dotted path into a JSON object, e.g. `metadata.user_api_key_hash`.
public struct FieldPath: Sendable, Hashable, CustomStringConvertible {
    public let components: [String]
    public init(_ dotted: String) {
        components = dotted.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    }
    init(components: [String]) { self.components = components }
    public var description: String { components.joined(separator: ".") }
}

extension JSONValue {
    /// Parses one JSON text (`JSONTape.parse`), decoding all of it.
    public static func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        var copy = text
        let result: Result<JSONValue, JSONParseError> = copy.withUTF8 { buffer in
            do throws(JSONParseError) { return .success(try parse(bytes: buffer)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    public static func parse(bytes: UnsafeBufferPointer<UInt8>) throws(JSONParseError) -> JSONValue {
        try JSONTape.parse(bytes).withRoot(of: bytes) { $0.value }
    }
}

/// True when `bytes` is well-formed UTF-8 (no overlongs, no surrogates, nothing past U+10FFFF).
public func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let base = bytes.baseAddress else { return true }
    var i = 0
    let n = bytes.count
    while i < n {
        // ASCII, the bulk of a log line, thirty-two bytes at a time.
        while i + 32 <= n {
            let raw = UnsafeRawPointer(base + i)
            let any =
                raw.loadUnaligned(as: UInt64.self) | raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
                | raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self)
                | raw.loadUnaligned(fromByteOffset: 24, as: UInt64.self)
            if any & 0x8080_8080_8080_8080 != 0 { break }
            i += 32
        }
        while i + 8 <= n, UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
            i += 8
        }
        guard i < n else { break }
        let b0 = bytes[i]
        if b0 < 0x80 {
            i += 1
            continue
        }
        let length: Int
        var minimum: UInt32
        var scalar: UInt32
        switch b0 {
        case 0xC2...0xDF: length = 2; minimum = 0x80; scalar = UInt32(b0 & 0x1F)
        case 0xE0...0xEF: length = 3; minimum = 0x800; scalar = UInt32(b0 & 0x0F)
        case 0xF0...0xF4: length = 4; minimum = 0x10000; scalar = UInt32(b0 & 0x07)
        default: return false
        }
        guard i + length <= n else { return false }
        for k in 1..<length {
            let b = bytes[i + k]
            guard b & 0xC0 == 0x80 else { return false }
            scalar = scalar << 6 | UInt32(b & 0x3F)
        }
        if scalar < minimum || scalar > 0x10FFFF || (0xD800...0xDFFF).contains(scalar) { return false }
        i += length
    }
    return true
}
