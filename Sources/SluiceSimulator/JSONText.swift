import Foundation

/// A piece of text held as the body of a JSON string literal (already escaped, without quotes).
///
/// Prompts are assembled from a few thousand corpus strings reused many times, so escaping each piece once and
/// writing lines with plain byte copies keeps 100k+ lines fast even in a debug build.
struct JSONText: Sendable {
    /// Escaped UTF-8 bytes.
    var escaped: [UInt8]
    /// Length of the unescaped text in UTF-8 bytes (drives the token estimate).
    var rawByteCount: Int

    init(_ text: String) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count + 8)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\\")); bytes.append(byte)
            case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\")); bytes.append(byte)
            case 0x0A: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "n"))
            case 0x0D: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "r"))
            case 0x09: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "t"))
            case 0..<0x20:
                bytes.append(contentsOf: Array("\\u00".utf8))
                bytes.append(Self.hexDigit(byte >> 4))
                bytes.append(Self.hexDigit(byte & 0xF))
            default: bytes.append(byte)
            }
        }
        escaped = bytes
        rawByteCount = text.utf8.count
    }

    private init(escaped: [UInt8], rawByteCount: Int) {
        self.escaped = escaped
        self.rawByteCount = rawByteCount
    }

    static let empty = JSONText("")

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }

    /// Concatenation of already-escaped pieces is the escaping of the concatenation.
    static func + (left: JSONText, right: JSONText) -> JSONText {
        JSONText(escaped: left.escaped + right.escaped, rawByteCount: left.rawByteCount + right.rawByteCount)
    }

    static func join(_ pieces: [JSONText]) -> JSONText {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(pieces.reduce(0) { $0 + $1.escaped.count })
        var raw = 0
        for piece in pieces {
            bytes.append(contentsOf: piece.escaped)
            raw += piece.rawByteCount
        }
        return JSONText(escaped: bytes, rawByteCount: raw)
    }

    /// Rough token count (about four bytes of English per token).
    var estimatedTokens: Int { max(1, (rawByteCount + 3) / 4) }
}

extension JSONText: ExpressibleByStringLiteral {
    init(stringLiteral value: String) { self.init(value) }
}

/// Appends JSON syntax to a byte buffer by hand: no `JSONSerialization` per line.
struct JSONLineBuffer {
    var bytes: [UInt8] = []

    init(capacity: Int) { bytes.reserveCapacity(capacity) }

    mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func raw(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    /// `"key":`, preceded by a comma unless `first`.
    mutating func key(_ name: StaticString, first: Bool = false) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    mutating func string(_ text: JSONText) {
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: text.escaped)
        bytes.append(UInt8(ascii: "\""))
    }

    /// A string known to need no escaping (ids, hex, model names, IPs).
    mutating func plainString(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: text.utf8)
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func optionalPlainString(_ text: String?) {
        if let text { plainString(text) } else { raw("null") }
    }

    mutating func int(_ value: Int) {
        bytes.append(contentsOf: String(value).utf8)
    }

    mutating func bool(_ value: Bool) {
        raw(value ? "true" : "false")
    }

    /// Shortest round-tripping decimal form (deterministic across runs).
    mutating func double(_ value: Double) {
        bytes.append(contentsOf: value.description.utf8)
    }

    /// Epoch seconds with exactly six fractional digits, from integer microseconds.
    mutating func epochSeconds(micros: Int64) {
        let seconds = micros / 1_000_000
        let fraction = micros % 1_000_000
        bytes.append(contentsOf: String(seconds).utf8)
        bytes.append(UInt8(ascii: "."))
        let digits = String(fraction)
        for _ in digits.count..<6 { bytes.append(UInt8(ascii: "0")) }
        bytes.append(contentsOf: digits.utf8)
    }
}
