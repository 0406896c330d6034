import Testing

@testable import SluiceCore

@Suite struct JSONValueTests {
    @Test func parsesNestedValues() throws {
        let value = try JSONValue.parse(#"{"a": [1, -2.5, true, null, "x\n\u00e9\ud83d\ude00"], "b": {"c": 1e3}}"#)
        #expect(value["a"] == .array([.number(1), .number(-2.5), .bool(true), .null, .string("x\né😀")]))
        #expect(value.value(at: FieldPath("b.c")) == .number(1000))
    }

    @Test func rejectsTrailingGarbageAndControlCharacters() {
        #expect(throws: JSONParseError.self) { try JSONValue.parse(#"{"a": 1} x"#) }
        #expect(throws: JSONParseError.self) { try JSONValue.parse("{\"a\": \"\u{01}\"}") }
        #expect(throws: JSONParseError.self) { try JSONValue.parse(#"{"a": 1"#) }
        #expect(throws: JSONParseError.self) { try JSONValue.parse(#"[01x]"#) }
    }

    @Test func limitsNesting() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONParseError.self) { try JSONValue.parse(deep) }
    }

    @Test func descendsIntoStringsHoldingJSON() throws {
        let value = try JSONValue.parse(#"{"request_body": "{\"user\": \"u1\"}"}"#)
        #expect(value.value(at: FieldPath("request_body.user")) == .string("u1"))
    }

    @Test func validatesUTF8() {
        let good: [UInt8] = Array("héllo 漢字 😀".utf8)
        let overlong: [UInt8] = [0xC0, 0xAF]
        let surrogate: [UInt8] = [0xED, 0xA0, 0x80]
        let truncated: [UInt8] = [0xE6, 0xBC]
        #expect(good.withUnsafeBufferPointer(isValidUTF8))
        #expect(!overlong.withUnsafeBufferPointer(isValidUTF8))
        #expect(!surrogate.withUnsafeBufferPointer(isValidUTF8))
        #expect(!truncated.withUnsafeBufferPointer(isValidUTF8))
    }
}

@Suite struct JSONTapeTests {
    /// Parses `text` and reads it through its root.
    static func read<T>(_ text: String, _ body: (JSONNode) throws -> T) throws -> T {
        var bytes = Array(text.utf8)
        return try bytes.withUnsafeMutableBufferPointer { buffer in
            let text = UnsafeBufferPointer(buffer)
            return try JSONTape.parse(text).withRoot(of: text) { try body($0) }
        }
    }

    static func error(_ text: String) -> JSONParseError? {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBufferPointer { buffer in
            do throws(JSONParseError) {
                _ = try JSONTape.parse(UnsafeBufferPointer(buffer))
                return nil
            } catch {
                return error
            }
        }
    }

    @Test func readsMembersInPlace() throws {
        let text = #"{"a":{"b":[1,"x\u00e9",null]},"a\u0062":2,"n":-0.5e1,"a":3,"t":true,"s":"true"}"#
        try Self.read(text) { root in
            #expect(root.count == 6)
            #expect(root["a"]?["b"]?.count == 3)
            #expect(root["a"]?["b"]?.elements.map(\.value) == [.number(1), .string("xé"), .null])
            // An escaped key is compared by its text; a repeated key answers with its first value.
            #expect(root["ab"]?.numberValue == 2)
            #expect(root["a"]?.isObject == true)
            #expect(root["n"]?.numberValue == -5)
            #expect(root["t"]?.boolValue == true && root["s"]?.boolValue == true)
            #expect(root["missing"] == nil && root["a"]?["b"]?["x"] == nil)
            #expect(root.members.map(\.key) == ["a", "ab", "n", "a", "t", "s"])
            #expect(root.value(at: FieldPath("a.b"))?.arrayValue?.count == 3)
        }
    }

    @Test func denseTextsGetTheRoomTheyNeed() throws {
        // Far more values than the first guess of one node every eight bytes.
        let values = (0..<5000).map { _ in "[0]" }
        let text = "[" + values.joined(separator: ",") + "]"
        try Self.read(text) { root in
            #expect(root.count == 5000)
            #expect(root.elements.allSatisfy { $0.isArray && $0.count == 1 && $0.elements.first?.numberValue == 0 })
        }
        #expect(try JSONValue.parse(text) == .array(Array(repeating: .array([.number(0)]), count: 5000)))
    }

    @Test func aReusedTapeHoldsOnlyItsLastText() throws {
        var tape = JSONTape()
        func parse(_ text: String) throws(JSONParseError) -> JSONValue {
            var bytes = Array(text.utf8)
            let result = bytes.withUnsafeMutableBufferPointer { buffer in
                Result { () throws(JSONParseError) -> JSONValue in
                    try tape.parse(UnsafeBufferPointer(buffer))
                    return tape.withRoot(of: UnsafeBufferPointer(buffer)) { $0.value }
                }
            }
            return try result.get()
        }
        let long = "[" + (0..<300).map { #"{"k\#($0)":[\#($0)]}"# }.joined(separator: ",") + "]"
        #expect(try parse(long).arrayValue?.count == 300)
        #expect(try parse(#"{"a":[1,2]}"#) == .object([("a", .array([.number(1), .number(2)]))]))
        #expect(throws: JSONParseError.self) { try parse(#"{"a":[1,2}"#) }
        #expect(try parse("7") == .number(7))
    }

    @Test func decodesEscapesAndSurrogates() throws {
        let text = #"["a\"b\\c\/d\b\f\n\r\t", "\ud83d\ude00", "\ud800x", "\udc00", "\ud800\u0041", "plain é"]"#
        try Self.read(text) { root in
            #expect(
                root.elements.map { $0.stringValue ?? "?" } == [
                    "a\"b\\c/d\u{08}\u{0C}\n\r\t", "😀", "\u{FFFD}x", "\u{FFFD}", "\u{FFFD}A", "plain é",
                ])
        }
    }

    @Test func saysWhereATextGoesWrong() {
        #expect(Self.error(#"{"a":1,}"#) == JSONParseError(offset: 7, message: "expected a key"))
        #expect(Self.error(#"{"a" 1}"#) == JSONParseError(offset: 5, message: "expected ':'"))
        #expect(Self.error(#"[1 2]"#) == JSONParseError(offset: 3, message: "expected ',' or ']'"))
        #expect(Self.error(#"{"a":"\q"}"#) == JSONParseError(offset: 8, message: "invalid escape"))
        #expect(Self.error(#"[-]"#) == JSONParseError(offset: 2, message: "invalid number"))
        #expect(Self.error(#"{"a":tru}"#) == JSONParseError(offset: 5, message: "invalid literal"))
        #expect(Self.error(#"{} {}"#) == JSONParseError(offset: 3, message: "unexpected data after the JSON value"))
        #expect(Self.error("") == JSONParseError(offset: 0, message: "unexpected end of input"))
    }

    @Test func everyTruncationOfALineIsRejected() {
        let line =
            #"{"id":"x","skipped":{"a":[1,2.5e3,-0,"s\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00"],"b":null,"c":true},"startTime":1793491201.5}"#
        let bytes = Array(line.utf8)
        #expect(Self.error(line) == nil)
        for end in 0..<bytes.count {
            let error = Self.error(String(decoding: bytes[..<end], as: UTF8.self))
            #expect(error != nil && error!.offset <= end, "prefix \(end)")
        }
    }
}
