import Foundation
import Testing

@testable import SluiceCore

@Suite struct SketchDecodingTests {
    func sketch() -> AccountSketch {
        var sketch = AccountSketch()
        for i in 0..<300 {
            let record = RequestRecord(
                time: 1_795_630_636 + Double(i * 53), account: "a", apiKeyID: "k\(i % 4)", endUser: "u\(i % 7)",
                ip: "10.1.\(i % 9).1", userAgent: "ua\(i % 3)", model: "m\(i % 2)",
                messages: [ChatMessage(role: "system", text: "sys"), ChatMessage(role: "user", text: "q \(i)")])
            _ = sketch.absorb(record, RequestFeatures(record))
        }
        return sketch
    }

    @Test func decodingInPlaceEqualsDecodingAnArray() throws {
        let bytes = sketch().encoded()
        let fromArray = try AccountSketch(encoded: bytes, seenPrompts: false)
        let inPlace = try bytes.withUnsafeBytes { try AccountSketch(encoded: $0, seenPrompts: false) }
        #expect(inPlace == fromArray)
        #expect(try AccountSketch(encoded: bytes) == sketch())
    }

    @Test func everyTruncationIsAnErrorNotACrash() {
        let bytes = sketch().encoded()
        for length in 0..<bytes.count {
            #expect(throws: SketchDecodingError.self) { try AccountSketch(encoded: Array(bytes.prefix(length))) }
        }
    }

    @Test func anUnknownVersionIsAnError() {
        var bytes = sketch().encoded()
        bytes[0] = 99
        #expect(throws: SketchDecodingError.self) { try AccountSketch(encoded: bytes) }
    }
}
