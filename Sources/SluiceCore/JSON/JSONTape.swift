#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A JSON text checked and indexed in one pass: a flat list of nodes that point into the text's
/// bytes. Nothing is decoded while parsing (a string stays a byte range, a number its digits)
/// until a reader asks for it, so a log line whose mapping reads a few dozen of its values costs
/// one pass over its bytes into one array (reused from line to line), however much else
/// (responses, headers) it carries.
///
/// The nodes are in document order; a container's node is followed by its contents (an object's
/// as key, value, key, value …) and records where they end, so a reader steps over a member
/// without looking inside it.
public struct JSONTape: Sendable {
    public enum Kind: UInt8, Sendable {
        case null, `false`, `true`, number, string, array, object
    }

    struct Node {
        /// A string's first byte after its quote, a number's first byte; for a container, its
        /// number of elements or members.
        var start: UInt32
        /// The bytes of a string between its quotes, or of a number.
        var length: UInt32
        /// The index of the node after this value and everything inside it; for an object's key,
        /// after the key's value (the next key), so that a lookup reads keys only.
        var next: UInt32
        var kind: Kind
        /// A string with escapes: its bytes are not yet its text.
        var escaped: Bool
        /// A string's length and last byte: a key lookup compares whole keys only where these match.
        var tag: UInt16 = 0

        static let empty = Node(start: 0, length: 0, next: 0, kind: .null, escaped: false)
    }

    /// The `tag` of an unescaped string of these bytes.
    static func tag(_ text: UnsafeBufferPointer<UInt8>) -> UInt16 {
        UInt16(truncatingIfNeeded: text.count) | UInt16(text.last ?? 0) << 8
    }

    /// Room for the nodes; the first `count` are this text's (a reused tape keeps the room of
    /// the longest text it held).
    var nodes: [Node] = []
    var count = 0

    public init() {}

    /// Parses one JSON text. Strict: no trailing garbage, no control characters in strings,
    /// nesting limited so that a hostile line cannot exhaust the stack.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONParseError) -> JSONTape {
        var tape = JSONTape()
        try tape.parse(bytes)
        return tape
    }

    /// Parses one JSON text into this tape, reusing its room: a reader of many lines allocates
    /// once, not once a line.
    public mutating func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONParseError) {
        guard bytes.count < Int(UInt32.max) else { throw JSONParseError(offset: 0, message: "text too long") }
        count = 0
        // Log lines have a value every few dozen bytes; a denser text is scanned again with the
        // room its first scan counted.
        let guess = bytes.count / 8 + 16
        if nodes.count < guess { nodes = Array(repeating: Node.empty, count: max(guess, nodes.count * 2)) }
        while true {
            let (needed, failure) = nodes.withUnsafeMutableBufferPointer { nodes in
                var scanner = JSONScanner(bytes: bytes, nodes: nodes.baseAddress!, capacity: nodes.count)
                do throws(JSONParseError) {
                    scanner.skipWhitespace()
                    try scanner.scanValue(depth: 0)
                    scanner.skipWhitespace()
                    guard scanner.index == bytes.count else {
                        throw scanner.error("unexpected data after the JSON value")
                    }
                    return (scanner.count, nil as JSONParseError?)
                } catch {
                    return (scanner.count, error)
                }
            }
            if let failure { throw failure }
            if needed <= nodes.count {
                count = needed
                return
            }
            nodes = Array(repeating: Node.empty, count: needed)
        }
    }

    /// Reads the text last parsed (successfully) through its first value. `bytes` must be the
    /// bytes it was parsed from; the node is valid only inside `body`.
    public func withRoot<Result, Failure: Error>(
        of bytes: UnsafeBufferPointer<UInt8>, _ body: (JSONNode) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try nodes.withUnsafeBufferPointer { nodes throws(Failure) in
            try body(JSONNode(bytes: bytes, nodes: UnsafeBufferPointer(rebasing: nodes[..<count]), index: 0))
        }
    }
}

/// One value of a parsed JSON text, read in place: valid only while the text's bytes and its
/// tape are (inside `JSONTape.withRoot`). Strings and numbers are decoded when asked for.
public struct JSONNode {
    let bytes: UnsafeBufferPointer<UInt8>
    let nodes: UnsafeBufferPointer<JSONTape.Node>
    let index: Int

    var node: JSONTape.Node { nodes[index] }
    public var kind: JSONTape.Kind { node.kind }
    public var isNull: Bool { kind == .null }
    public var isObject: Bool { kind == .object }
    public var isArray: Bool { kind == .array }
    /// The number of elements of an array or members of an object; 0 for a scalar.
    public var count: Int { kind == .array || kind == .object ? Int(node.start) : 0 }

    /// The member named `key` of an object (the first, if the key repeats), or nil. Mappings
    /// name members with literals, whose bytes need no `String` to compare.
    public subscript(key: StaticString) -> JSONNode? {
        guard kind == .object else { return nil }
        return member(named: UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
    }

    /// The member named `key` of an object (the first, if the key repeats), or nil.
    public func member(_ key: String) -> JSONNode? {
        guard kind == .object else { return nil }
        var key = key
        return key.withUTF8 { wanted in member(named: wanted) }
    }

    func member(named wanted: UnsafeBufferPointer<UInt8>) -> JSONNode? {
        let tag = JSONTape.tag(wanted)
        var i = index + 1
        let end = Int(node.next)
        while i < end {
            let key = nodes[i]
            let matches =
                key.escaped
                ? Array(JSONNode(bytes: bytes, nodes: nodes, index: i).text.utf8).elementsEqual(wanted)
                : key.tag == tag && Int(key.length) == wanted.count
                    && (wanted.isEmpty
                        || memcmp(bytes.baseAddress! + Int(key.start), wanted.baseAddress!, wanted.count) == 0)
            if matches { return JSONNode(bytes: bytes, nodes: nodes, index: i + 1) }
            i = Int(key.next)
        }
        return nil
    }

    /// The members of an object, in order, with their keys decoded.
    public var members: [(key: String, value: JSONNode)] {
        guard kind == .object else { return [] }
        var result: [(key: String, value: JSONNode)] = []
        result.reserveCapacity(count)
        var i = index + 1
        while i < Int(node.next) {
            result.append(
                (
                    JSONNode(bytes: bytes, nodes: nodes, index: i).text,
                    JSONNode(bytes: bytes, nodes: nodes, index: i + 1)
                ))
            i = Int(nodes[i].next)
        }
        return result
    }

    /// The elements of an array, in order; nothing for anything else.
    public var elements: Elements { Elements(array: self) }

    public struct Elements: Sequence {
        let array: JSONNode

        public struct Iterator: IteratorProtocol {
            let array: JSONNode
            var i: Int
            public mutating func next() -> JSONNode? {
                guard i < Int(array.node.next) else { return nil }
                defer { i = Int(array.nodes[i].next) }
                return JSONNode(bytes: array.bytes, nodes: array.nodes, index: i)
            }
        }

        public func makeIterator() -> Iterator {
            Iterator(array: array, i: array.kind == .array ? array.index + 1 : Int(array.node.next))
        }

        public var first: JSONNode? {
            var iterator = makeIterator()
            return iterator.next()
        }
    }

    /// The raw bytes of a string (between its quotes, escapes undecoded) or of a number.
    var rawBytes: UnsafeBufferPointer<UInt8> {
        let node = self.node
        return UnsafeBufferPointer(rebasing: bytes[Int(node.start)..<Int(node.start + node.length)])
    }

    /// A string's text, escapes decoded; meaningful only for a string.
    var text: String {
        node.escaped ? JSONScanner.unescape(rawBytes) : String(decoding: rawBytes, as: UTF8.self)
    }

    public var stringValue: String? { kind == .string ? text : nil }

    /// A number, or a string that holds one (nginx logs every variable as a string).
    public var numberValue: Double? {
        switch kind {
        case .number: return JSONScanner.number(rawBytes)
        case .string: return Double(text)
        default: return nil
        }
    }

    public var boolValue: Bool? {
        switch kind {
        case .true: return true
        case .false: return false
        case .string:
            switch text {
            case "true": return true
            case "false": return false
            default: return nil
            }
        default: return nil
        }
    }

    /// The value with everything in it, decoded.
    public var value: JSONValue {
        switch kind {
        case .null: return .null
        case .false: return .bool(false)
        case .true: return .bool(true)
        case .number: return .number(JSONScanner.number(rawBytes))
        case .string: return .string(text)
        case .array: return .array(elements.map(\.value))
        case .object: return .object(members.map { ($0.key, $0.value.value) })
        }
    }

    /// Follows a dotted path such as `metadata.user_api_key_team_id`. A string member that itself
    /// holds JSON (nginx's `request_body`) is descended into.
    public func value(at path: FieldPath) -> JSONValue? {
        var current = self
        for (depth, component) in path.components.enumerated() {
            if current.kind == .string {
                // Rare (a path into a JSON text inside a string): decoded whole.
                guard let nested = try? JSONValue.parse(current.text) else { return nil }
                return nested.value(at: FieldPath(components: Array(path.components[depth...])))
            }
            guard let next = current.member(component) else { return nil }
            current = next
        }
        return current.value
    }
}

/// Why a JSON text could not be parsed.
public struct JSONParseError: Error, Sendable, Equatable {
    public let offset: Int
    public let message: String
}

/// Checks a JSON text and writes its tape.
struct JSONScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0
    let nodes: UnsafeMutablePointer<JSONTape.Node>
    let capacity: Int
    var count = 0
    static let maximumDepth = 64

    init(bytes: UnsafeBufferPointer<UInt8>, nodes: UnsafeMutablePointer<JSONTape.Node>, capacity: Int) {
        self.bytes = bytes
        self.nodes = nodes
        self.capacity = capacity
    }

    func error(_ message: String) -> JSONParseError { JSONParseError(offset: index, message: message) }

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    /// Writes a node while there is room, and counts it either way.
    mutating func append(_ kind: JSONTape.Kind, start: Int, length: Int, escaped: Bool = false, tag: UInt16 = 0) {
        defer { count += 1 }
        guard count < capacity else { return }
        nodes[count] = JSONTape.Node(
            start: UInt32(truncatingIfNeeded: start), length: UInt32(truncatingIfNeeded: length),
            next: UInt32(truncatingIfNeeded: count + 1), kind: kind, escaped: escaped, tag: tag)
    }

    mutating func scanValue(depth: Int) throws(JSONParseError) {
        guard depth < Self.maximumDepth else { throw error("nesting deeper than \(Self.maximumDepth)") }
        guard index < bytes.count else { throw error("unexpected end of input") }
        switch bytes[index] {
        case UInt8(ascii: "{"): try scanContainer(.object, depth: depth)
        case UInt8(ascii: "["): try scanContainer(.array, depth: depth)
        case UInt8(ascii: "\""): try scanString()
        case UInt8(ascii: "t"): try expectLiteral("true"); append(.true, start: index - 4, length: 4)
        case UInt8(ascii: "f"): try expectLiteral("false"); append(.false, start: index - 5, length: 5)
        case UInt8(ascii: "n"): try expectLiteral("null"); append(.null, start: index - 4, length: 4)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let start = index
            try scanNumber()
            append(.number, start: start, length: index - start)
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

    /// Sets a container's count and end once its contents are on the tape.
    mutating func close(_ container: Int, count members: Int) {
        guard container < capacity else { return }
        nodes[container].start = UInt32(truncatingIfNeeded: members)
        nodes[container].next = UInt32(truncatingIfNeeded: count)
    }

    /// An object or an array: its node, then its members (key and value) or its elements.
    mutating func scanContainer(_ kind: JSONTape.Kind, depth: Int) throws(JSONParseError) {
        let isObject = kind == .object
        let end = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
        let container = count
        append(kind, start: 0, length: 0)
        index += 1
        skipWhitespace()
        if index < bytes.count, bytes[index] == end {
            index += 1
            return close(container, count: 0)
        }
        var members = 0
        while true {
            skipWhitespace()
            let key = count
            if isObject {
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw error("expected a key") }
                try scanString()
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw error("expected ':'") }
                index += 1
                skipWhitespace()
            }
            try scanValue(depth: depth + 1)
            if isObject && key < capacity { nodes[key].next = UInt32(truncatingIfNeeded: count) }
            members += 1
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of input") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
            } else if bytes[index] == end {
                index += 1
                return close(container, count: members)
            } else {
                throw error(isObject ? "expected ',' or '}'" : "expected ',' or ']'")
            }
        }
    }

    mutating func scanString() throws(JSONParseError) {
        index += 1
        let start = index
        var escaped = false
        while true {
            skipPlainBytes()
            guard index < bytes.count else { throw error("unterminated string") }
            switch bytes[index] {
            case UInt8(ascii: "\""):
                let text = UnsafeBufferPointer(rebasing: bytes[start..<index])
                append(.string, start: start, length: text.count, escaped: escaped, tag: JSONTape.tag(text))
                index += 1
                return
            case UInt8(ascii: "\\"):
                escaped = true
                try skipEscape()
            default:
                throw error("control character in string")
            }
        }
    }

    /// Moves `index` to the next `"`, `\\` or control byte of a string (or the end), eight bytes
    /// at a time: most of a log line is the inside of long strings.
    @inline(__always)
    mutating func skipPlainBytes() {
        guard let base = bytes.baseAddress else { return }
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        // A byte's high bit is set where it is zero (quote, backslash) or below 0x20 (control);
        // bits above the first hit may be wrong, the first one is exact.
        @inline(__always) func stops(_ word: UInt64) -> UInt64 {
            let quotes = word ^ (ones &* 0x22)
            let backslashes = word ^ (ones &* 0x5C)
            return ((quotes &- ones) & ~quotes | (backslashes &- ones) & ~backslashes | (word &- ones &* 0x20) & ~word)
                & highs
        }
        // Sixteen bytes a step while nothing stops the run; then exactly, eight at a time.
        while index + 16 <= bytes.count {
            let first = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
            let second = UnsafeRawPointer(base + index + 8).loadUnaligned(as: UInt64.self)
            if stops(first) | stops(second) != 0 { break }
            index += 16
        }
        while index + 8 <= bytes.count {
            let hits = stops(UInt64(littleEndian: UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)))
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

    /// Checks one escape; `unescape` decodes it later.
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

    mutating func readHex4() throws(JSONParseError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw error("short \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let digit = Self.hexDigit(bytes[index]) else { throw error("invalid \\u escape") }
            value = value << 4 | digit
            index += 1
        }
        return value
    }

    static func hexDigit(_ c: UInt8) -> UInt32? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(c - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(c - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(c - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    /// The text of a string's bytes (between its quotes) that `scanString` accepted. A lone
    /// surrogate escape becomes U+FFFD. The text is never longer than its escaped bytes.
    static func unescape(_ raw: UnsafeBufferPointer<UInt8>) -> String {
        String(unsafeUninitializedCapacity: raw.count) { out in
            var written = 0
            var i = 0
            func put(_ byte: UInt8) {
                out[written] = byte
                written += 1
            }
            func hex4(at i: Int) -> UInt32 {
                var value: UInt32 = 0
                for k in 0..<4 { value = value << 4 | (hexDigit(raw[i + k]) ?? 0) }
                return value
            }
            while i < raw.count {
                // The plain run up to the next escape, copied whole.
                let run = i
                let found = memchr(raw.baseAddress! + i, Int32(UInt8(ascii: "\\")), raw.count - i)
                i = found.map { UnsafePointer($0.assumingMemoryBound(to: UInt8.self)) - raw.baseAddress! } ?? raw.count
                if i > run {
                    UnsafeMutableRawPointer(out.baseAddress! + written).copyMemory(
                        from: raw.baseAddress! + run, byteCount: i - run)
                    written += i - run
                }
                guard i < raw.count else { break }
                let escaped = raw[i + 1]
                i += 2
                switch escaped {
                case UInt8(ascii: "b"): put(0x08)
                case UInt8(ascii: "f"): put(0x0C)
                case UInt8(ascii: "n"): put(0x0A)
                case UInt8(ascii: "r"): put(0x0D)
                case UInt8(ascii: "t"): put(0x09)
                case UInt8(ascii: "u"):
                    var scalar = hex4(at: i)
                    i += 4
                    if (0xD800...0xDBFF).contains(scalar) {
                        // A high surrogate must be followed by an escaped low one.
                        if i + 6 <= raw.count, raw[i] == UInt8(ascii: "\\"), raw[i + 1] == UInt8(ascii: "u"),
                            case let low = hex4(at: i + 2), (0xDC00...0xDFFF).contains(low)
                        {
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                            i += 6
                        } else {
                            scalar = 0xFFFD
                        }
                    } else if (0xDC00...0xDFFF).contains(scalar) {
                        scalar = 0xFFFD
                    }
                    for byte in UTF8.encode(Unicode.Scalar(scalar) ?? "\u{FFFD}")! { put(byte) }
                default: put(escaped)  // `"`, `\`, `/`
                }
            }
            return written
        }
    }

    /// Checks a number's grammar.
    mutating func scanNumber() throws(JSONParseError) {
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard skipDigits() > 0 else { throw error("invalid number") }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard skipDigits() > 0 else { throw error("invalid number") }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            guard skipDigits() > 0 else { throw error("invalid number") }
        }
    }

    mutating func skipDigits() -> Int {
        let start = index
        while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
        return index - start
    }

    /// The value of a number `scanNumber` accepted.
    static func number(_ text: UnsafeBufferPointer<UInt8>) -> Double {
        let negative = text[0] == UInt8(ascii: "-")
        var integer: Int64 = 0
        var digits = 0
        for byte in text[(negative ? 1 : 0)...] {
            guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"), digits < 15 else {
                if let value = exactDecimal(text) { return value }
                return Double(String(decoding: text, as: UTF8.self)) ?? .nan
            }
            integer = integer * 10 + Int64(byte &- UInt8(ascii: "0"))
            digits += 1
        }
        return Double(negative ? -integer : integer)
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
