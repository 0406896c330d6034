/// A parsed JSON value. Objects keep their keys in order as a small array: log records have
/// a few dozen keys at most, and a linear scan beats hashing every key of every line.
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
    public var description: String { components.joined(separator: ".") }
}

/// Which members of a JSON document a reader needs. A kept object member is built with the
/// fields of its own; the elements of a kept array share the array's. Scalars are always built.
public indirect enum JSONFields: Sendable {
    /// Everything beneath.
    case all
    /// Only these members of an object (and of the objects in an array).
    case only(Members)

    /// The wanted members of an object, found by a key's length and first bytes: a LiteLLM line
    /// has some forty keys at its top, each compared with twenty-odd wanted names.
    public struct Members: Sendable {
        public let list: [Member]
        /// For each name length (the longest names share the last), the members of that length.
        let byLength: [[Member]]

        public init(_ list: [Member]) {
            self.list = list
            var byLength = [[Member]](repeating: [], count: 64)
            for member in list { byLength[min(member.name.count, 63)].append(member) }
            self.byLength = byLength
        }
    }

    /// A wanted member: its name, as the bytes a key is compared with and as the `String` a
    /// parsed object keeps (shared, not decoded again for every line), and what of it to build.
    public struct Member: Sendable {
        public let key: String
        let name: [UInt8]
        public var fields: JSONFields

        public init(_ key: String, _ fields: JSONFields) {
            self.key = key
            self.name = Array(key.utf8)
            self.fields = fields
        }
    }

    /// The fields that keep the members on `paths` (a path ends in everything beneath it),
    /// merged with these.
    public func adding(_ paths: [FieldPath]) -> JSONFields {
        var result = self
        for path in paths { result = result.adding(path.components[...]) }
        return result
    }

    func adding(_ path: ArraySlice<String>) -> JSONFields {
        guard case .only(let wanted) = self else { return .all }
        guard let first = path.first else { return .all }
        var members = wanted.list
        if let i = members.firstIndex(where: { $0.key == first }) {
            members[i].fields = members[i].fields.adding(path.dropFirst())
        } else {
            members.append(Member(first, JSONFields.none.adding(path.dropFirst())))
        }
        return .only(Members(members))
    }

    /// The structure only (an array's length, a member's presence): no member of an object.
    public static let none = JSONFields.only(Members([]))

    /// The member named `name`, or nil when it is not wanted. Under `.all` every member is
    /// wanted, and has no prebuilt key.
    @inline(__always)
    func member(_ name: UnsafeBufferPointer<UInt8>) -> (key: String?, fields: JSONFields)? {
        guard case .only(let members) = self else { return (nil, .all) }
        for member in members.byLength[min(name.count, 63)] where member.name.count == name.count {
            if member.name.withUnsafeBufferPointer({ $0.elementsEqual(name) }) { return (member.key, member.fields) }
        }
        return nil
    }
}

/// Why a JSON text could not be parsed.
public struct JSONParseError: Error, Sendable, Equatable {
    public let offset: Int
    public let message: String
}

extension JSONValue {
    /// Parses one JSON text. Strict: no trailing garbage, no control characters in strings,
    /// nesting limited so that a hostile line cannot exhaust the stack.
    public static func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        var copy = text
        let result: Result<JSONValue, JSONParseError> = copy.withUTF8 { buffer in
            do throws(JSONParseError) { return .success(try parse(bytes: buffer)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    public static func parse(bytes: UnsafeBufferPointer<UInt8>) throws(JSONParseError) -> JSONValue {
        try parse(bytes: bytes, keeping: .all)
    }

    /// Parses one JSON text, building only the members `fields` names. Everything else is
    /// still checked, so a text is rejected exactly when `parse(bytes:)` rejects it, with the
    /// same error; it is only not built, which saves most of the work on log lines that carry
    /// whole responses.
    public static func parse(bytes: UnsafeBufferPointer<UInt8>, keeping fields: JSONFields) throws(JSONParseError)
        -> JSONValue
    {
        var parser = JSONParser(bytes: bytes)
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 0, fields: fields)
        parser.skipWhitespace()
        guard parser.index == bytes.count else { throw parser.error("unexpected data after the JSON value") }
        return value
    }
}

struct JSONParser {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0
    static let maximumDepth = 64

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    func error(_ message: String) -> JSONParseError { JSONParseError(offset: index, message: message) }

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    mutating func parseValue(depth: Int, fields: JSONFields = .all) throws(JSONParseError) -> JSONValue {
        guard depth < Self.maximumDepth else { throw error("nesting deeper than \(Self.maximumDepth)") }
        guard index < bytes.count else { throw error("unexpected end of input") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject(depth: depth, fields: fields)
        case UInt8(ascii: "["): return try parseArray(depth: depth, fields: fields)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw error("unexpected character")
        }
    }

    mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw error("unexpected end of input") }
        let start = literal.utf8Start
        for offset in 0..<count where bytes[index + offset] != start[offset] {
            throw error("invalid literal")
        }
        index += count
    }

    mutating func parseObject(depth: Int, fields: JSONFields) throws(JSONParseError) -> JSONValue {
        index += 1
        var members: [(String, JSONValue)] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw error("expected a key") }
            let keyStart = index + 1
            let keyIsPlain = try skipString()
            let keyBytes = UnsafeBufferPointer(rebasing: bytes[keyStart..<(index - 1)])
            let key: String
            let wanted: JSONFields?
            if keyIsPlain {
                let member = fields.member(keyBytes)
                wanted = member?.fields
                key = member == nil ? "" : member!.key ?? String(decoding: keyBytes, as: UTF8.self)
            } else {
                index = keyStart - 1
                key = try parseString()
                var copy = key
                wanted = copy.withUTF8 { fields.member($0)?.fields }
            }
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw error("expected ':'") }
            index += 1
            skipWhitespace()
            guard let wanted else {
                try skipValue(depth: depth + 1)
                try expectMemberEnd()
                if bytes[index - 1] == UInt8(ascii: "}") { return .object(members) }
                continue
            }
            let value = try parseValue(depth: depth + 1, fields: wanted)
            members.append((key, value))
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of input") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
            } else if bytes[index] == UInt8(ascii: "}") {
                index += 1
                return .object(members)
            } else {
                throw error("expected ',' or '}'")
            }
        }
    }

    /// After a skipped member: past the `,` or `}` that follows it.
    mutating func expectMemberEnd() throws(JSONParseError) {
        skipWhitespace()
        guard index < bytes.count else { throw error("unexpected end of input") }
        if bytes[index] == UInt8(ascii: ",") || bytes[index] == UInt8(ascii: "}") {
            index += 1
        } else {
            throw error("expected ',' or '}'")
        }
    }

    mutating func parseArray(depth: Int, fields: JSONFields) throws(JSONParseError) -> JSONValue {
        index += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try parseValue(depth: depth + 1, fields: fields))
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of input") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
            } else if bytes[index] == UInt8(ascii: "]") {
                index += 1
                return .array(elements)
            } else {
                throw error("expected ',' or ']'")
            }
        }
    }

    mutating func parseString() throws(JSONParseError) -> String {
        index += 1
        let start = index
        // Fast path: no escapes, so the bytes are the string.
        skipPlainBytes()
        if index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let result = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                index += 1
                return result
            }
            if byte < 0x20 { throw error("control character in string") }
        }
        // Escapes: the plain runs between them are copied whole.
        var scratch = [UInt8](UnsafeBufferPointer(rebasing: bytes[start..<index]))
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return String(decoding: scratch, as: UTF8.self)
            case UInt8(ascii: "\\"):
                index += 1
                guard index < bytes.count else { throw error("unexpected end of input") }
                let escaped = bytes[index]
                index += 1
                switch escaped {
                case UInt8(ascii: "\""): scratch.append(0x22)
                case UInt8(ascii: "\\"): scratch.append(0x5C)
                case UInt8(ascii: "/"): scratch.append(0x2F)
                case UInt8(ascii: "b"): scratch.append(0x08)
                case UInt8(ascii: "f"): scratch.append(0x0C)
                case UInt8(ascii: "n"): scratch.append(0x0A)
                case UInt8(ascii: "r"): scratch.append(0x0D)
                case UInt8(ascii: "t"): scratch.append(0x09)
                case UInt8(ascii: "u"): try appendUnicodeEscape(to: &scratch)
                default: throw error("invalid escape")
                }
            default:
                // `skipPlainBytes` stops only at a quote, a backslash or a control byte.
                throw error("control character in string")
            }
            let run = index
            skipPlainBytes()
            scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<index]))
        }
        throw error("unterminated string")
    }

    /// Moves `index` to the next `"`, `\\` or control byte of a string (or the end), eight bytes
    /// at a time: most of a log line is the inside of long strings.
    @inline(__always)
    mutating func skipPlainBytes() {
        guard let base = bytes.baseAddress else { return }
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        while index + 8 <= bytes.count {
            let word = UInt64(littleEndian: UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self))
            let quotes = word ^ (ones &* 0x22)
            let backslashes = word ^ (ones &* 0x5C)
            // A byte's high bit is set where it is zero (quote, backslash) or below 0x20 (control);
            // bits above the first hit may be wrong, the first one is exact.
            let hits =
                ((quotes &- ones) & ~quotes | (backslashes &- ones) & ~backslashes | (word &- ones &* 0x20) & ~word)
                & highs
            if hits != 0 {
                index += hits.trailingZeroBitCount >> 3
                return
            }
            index += 8
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 { return }
            index += 1
        }
    }

    /// Checks a string as `parseString` does, without building it; returns whether it had no
    /// escapes (its bytes are then exactly the string's).
    mutating func skipString() throws(JSONParseError) -> Bool {
        index += 1
        var plain = true
        while true {
            skipPlainBytes()
            guard index < bytes.count else { throw error("unterminated string") }
            switch bytes[index] {
            case UInt8(ascii: "\""):
                index += 1
                return plain
            case UInt8(ascii: "\\"):
                plain = false
                try skipEscape()
            default:
                throw error("control character in string")
            }
        }
    }

    /// Checks one escape as `parseString` reads it (the same errors at the same offsets).
    mutating func skipEscape() throws(JSONParseError) {
        index += 1
        guard index < bytes.count else { throw error("unexpected end of input") }
        let escaped = bytes[index]
        index += 1
        switch escaped {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
            UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            return
        case UInt8(ascii: "u"):
            let scalar = try readHex4()
            if (0xD800...0xDBFF).contains(scalar), index + 6 <= bytes.count, bytes[index] == UInt8(ascii: "\\"),
                bytes[index + 1] == UInt8(ascii: "u")
            {
                let saved = index
                index += 2
                if !(0xDC00...0xDFFF).contains(try readHex4()) { index = saved }
            }
        default:
            throw error("invalid escape")
        }
    }

    /// Checks a value as `parseValue` does, without building it.
    mutating func skipValue(depth: Int) throws(JSONParseError) {
        guard depth < Self.maximumDepth else { throw error("nesting deeper than \(Self.maximumDepth)") }
        guard index < bytes.count else { throw error("unexpected end of input") }
        switch bytes[index] {
        case UInt8(ascii: "{"):
            index += 1
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                index += 1
                return
            }
            while true {
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw error("expected a key") }
                _ = try skipString()
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw error("expected ':'") }
                index += 1
                skipWhitespace()
                try skipValue(depth: depth + 1)
                try expectMemberEnd()
                if bytes[index - 1] == UInt8(ascii: "}") { return }
            }
        case UInt8(ascii: "["):
            index += 1
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                index += 1
                return
            }
            while true {
                skipWhitespace()
                try skipValue(depth: depth + 1)
                skipWhitespace()
                guard index < bytes.count else { throw error("unexpected end of input") }
                if bytes[index] == UInt8(ascii: ",") {
                    index += 1
                } else if bytes[index] == UInt8(ascii: "]") {
                    index += 1
                    return
                } else {
                    throw error("expected ',' or ']'")
                }
            }
        case UInt8(ascii: "\""): _ = try skipString()
        case UInt8(ascii: "t"): try expectLiteral("true")
        case UInt8(ascii: "f"): try expectLiteral("false")
        case UInt8(ascii: "n"): try expectLiteral("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): _ = try parseNumber()
        default: throw error("unexpected character")
        }
    }

    mutating func readHex4() throws(JSONParseError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw error("short \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[index]
            let digit: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(c - UInt8(ascii: "A") + 10)
            default: throw error("invalid \\u escape")
            }
            value = value << 4 | digit
            index += 1
        }
        return value
    }

    mutating func appendUnicodeEscape(to scratch: inout [UInt8]) throws(JSONParseError) {
        var scalar = try readHex4()
        if (0xD800...0xDBFF).contains(scalar) {
            // A high surrogate must be followed by an escaped low one; a lone one becomes U+FFFD.
            if index + 6 <= bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") {
                let saved = index
                index += 2
                let low = try readHex4()
                if (0xDC00...0xDFFF).contains(low) {
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else {
                    index = saved
                    scalar = 0xFFFD
                }
            } else {
                scalar = 0xFFFD
            }
        } else if (0xDC00...0xDFFF).contains(scalar) {
            scalar = 0xFFFD
        }
        let unicodeScalar = Unicode.Scalar(scalar) ?? "\u{FFFD}"
        scratch.append(contentsOf: UTF8.encode(unicodeScalar)!)
    }

    mutating func parseNumber() throws(JSONParseError) -> Double {
        let start = index
        var isInteger = true
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        var integerDigits = 0
        while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
            index += 1
            integerDigits += 1
        }
        guard integerDigits > 0 else { throw error("invalid number") }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            var fractionDigits = 0
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
                index += 1
                fractionDigits += 1
            }
            guard fractionDigits > 0 else { throw error("invalid number") }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            var exponentDigits = 0
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
                index += 1
                exponentDigits += 1
            }
            guard exponentDigits > 0 else { throw error("invalid number") }
        }
        if isInteger && integerDigits <= 15 {
            var value: Int64 = 0
            var position = start
            let negative = bytes[position] == UInt8(ascii: "-")
            if negative { position += 1 }
            while position < index {
                value = value * 10 + Int64(bytes[position] - UInt8(ascii: "0"))
                position += 1
            }
            return Double(negative ? -value : value)
        }
        if let value = Self.exactDecimal(UnsafeBufferPointer(rebasing: bytes[start..<index])) { return value }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        guard let value = Double(text) else { throw error("invalid number") }
        return value
    }

    /// A well-formed JSON number whose digits, as an integer, are at most 2⁵³ and whose decimal
    /// exponent is within ±22 (times like `1793491201.478375`, temperatures), without `strtod`:
    /// the digits and the power of ten are both exact doubles, so one multiplication or division
    /// rounds correctly (Clinger's fast path). Nil for the rest.
    static func exactDecimal(_ number: UnsafeBufferPointer<UInt8>) -> Double? {
        var i = 0
        let negative = number[0] == UInt8(ascii: "-")
        if negative { i += 1 }
        var digits: Int64 = 0
        var significant = 0
        var scale = 0
        var inFraction = false
        while i < number.count {
            let byte = number[i]
            if byte == UInt8(ascii: ".") {
                inFraction = true
            } else if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                if significant > 0 || byte != UInt8(ascii: "0") { significant += 1 }
                guard significant <= 18 else { return nil }
                digits = digits * 10 + Int64(byte &- UInt8(ascii: "0"))
                if inFraction { scale -= 1 }
            } else {
                break
            }
            i += 1
        }
        if i < number.count {
            // An exponent: `e`, a sign, digits.
            i += 1
            var exponentNegative = false
            if number[i] == UInt8(ascii: "+") || number[i] == UInt8(ascii: "-") {
                exponentNegative = number[i] == UInt8(ascii: "-")
                i += 1
            }
            var exponent = 0
            while i < number.count {
                exponent = exponent * 10 + Int(number[i] &- UInt8(ascii: "0"))
                guard exponent <= 100 else { return nil }
                i += 1
            }
            scale += exponentNegative ? -exponent : exponent
        }
        guard scale >= -22 && scale <= 22 && digits <= 1 << 53 else { return nil }
        let magnitude = scale < 0 ? Double(digits) / powersOfTen[-scale] : Double(digits) * powersOfTen[scale]
        return negative ? -magnitude : magnitude
    }

    /// 10⁰ … 10²², each exact in a double.
    static let powersOfTen: [Double] = (0...22).map { exponent in
        var value = 1.0
        for _ in 0..<exponent { value *= 10 }
        return value
    }
}

/// True when `bytes` is well-formed UTF-8 (no overlongs, no surrogates, nothing past U+10FFFF).
public func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let base = bytes.baseAddress else { return true }
    var i = 0
    let n = bytes.count
    while i < n {
        // ASCII, the bulk of a log line, eight bytes at a time.
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
