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
