import Testing

@testable import SluiceCore

@Suite struct FeatureTests {
    @Test func simHashKeepsNearDuplicatesClose() {
        let a = TextSketch.simHash("Write a short story about a dragon who learns to bake bread in a small village.")
        let b = TextSketch.simHash("Write a short story about a dragon who learns to bake cakes in a small village.")
        let c = TextSketch.simHash("Explain the difference between TCP and UDP with examples of when to use each.")
        #expect(TextSketch.distance(a, b) < TextSketch.distance(a, c))
        #expect(TextSketch.distance(a, b) <= 16)
    }

    @Test func templateHashIgnoresTheFilledInMiddleAndNumbers() {
        let template = { (x: String) in
            "Classify the sentiment of the following review. Review: \(x) Answer with positive or negative."
        }
        let one = TextSketch.templateHash(template("The food was cold and the waiter rude."))
        let two = TextSketch.templateHash(template("Loved it, will come back with 12 friends!"))
        let other = TextSketch.templateHash("What is the capital of Australia and why was it chosen over Sydney?")
        #expect(one == two)
        #expect(one != other)
    }

    @Test func findsReasoningMarkersInSeveralLanguages() {
        for text in [
            "Please think step by step.", "请一步一步地推理", "Explica paso a paso", "Réponds étape par étape",
            "Erkläre Schritt für Schritt", "Реши шаг за шагом", "ステップバイステップで考えて", "단계별로 설명해 주세요",
        ] {
            var hits = CueHits()
            Lexicon.standard.scan(text, into: &hits)
            #expect(hits.reasoning > 0, "\(text)")
        }
        var none = CueHits()
        Lexicon.standard.scan("What a lovely day for a walk in the park.", into: &none)
        #expect(none.reasoning == 0)
    }

    @Test func extractsRequestShape() {
        let record = RequestRecord(
            time: 1_795_630_636, account: "a", ip: "203.0.113.77", completionTokens: 512, maxTokens: 512,
            messages: [
                ChatMessage(role: "system", text: "You are a careful math tutor. Show your reasoning."),
                ChatMessage(role: "user", text: "Solve the equation 3x + 5 = 20."),
            ])
        let f = RequestFeatures(record)
        #expect(f.reasoning && f.category == .math && f.userTurns == 1 && f.hitMaxTokens)
        #expect(f.network == "203.0.113.0/24" && f.systemHash != nil && !f.usesTools)
        let agent = RequestFeatures(
            RequestRecord(
                time: 1, account: "a", toolCount: 2,
                messages: [ChatMessage(role: "user", text: "fix the bug"), ChatMessage(role: "tool", text: "ok")]))
        #expect(agent.category == .agentic && agent.usesTools)
    }

    @Test func sketchEncodingRoundTrips() throws {
        var sketch = AccountSketch()
        for i in 0..<700 {
            let record = RequestRecord(
                time: 1_795_630_636 + Double(i * 37), account: "a", apiKeyID: "k\(i % 3)", endUser: "u\(i % 5)",
                ip: "10.0.\(i % 40).1", userAgent: "ua\(i % 20)", model: "m\(i % 2)",
                messages: [
                    ChatMessage(role: "system", text: "sys \(i % 2)"), ChatMessage(role: "user", text: "question \(i)"),
                ])
            _ = sketch.absorb(record, RequestFeatures(record))
        }
        let decoded = try AccountSketch(encoded: sketch.encoded())
        #expect(decoded == sketch)
        #expect(sketch.encoded().count < 4096)
        #expect(sketch.networks.overflowed && sketch.networks.count == 32)
        #expect(abs(sketch.distinctPrompts.estimate - 700) < 140)
    }

    @Test func sketchSizeIsBoundedWhateverTheTraffic() throws {
        var sketch = AccountSketch()
        for i in 0..<20_000 {
            let record = RequestRecord(
                time: 1_795_630_636 + Double(i * 97), account: "a", apiKeyID: "k\(i)", endUser: "u\(i)",
                ip: "10.\(i % 200).\(i / 200 % 250).1", userAgent: "ua\(i)", model: "m\(i)",
                messages: [
                    ChatMessage(role: "system", text: "sys \(i)"),
                    ChatMessage(role: "user", text: "question \(i) \(i * 7)"),
                ])
            let features = RequestFeatures(record)
            _ = sketch.absorb(record, features)
            _ = sketch.admitsEndUser(features.identity.endUser!)
        }
        let bytes = sketch.encoded()
        // The bound the README states: a full sketch is under 4.5 KB (4116 bytes when measured).
        #expect(bytes.count <= 4608)
        #expect(sketch.onceSeenEndUsers.count == AccountSketch.onceSeenEndUserCapacity)
        #expect(sketch.seenPrompts.count == AccountSketch.seenPromptCapacity)
        let light = try AccountSketch(encoded: bytes, seenPrompts: false)
        #expect(light.seenPrompts.isEmpty && light.distinctPrompts == sketch.distinctPrompts)
    }

    /// An eval's rerun repeats its set: on another day, or at temperature 0. The same prompt sent
    /// again the same day at a sampling temperature is another sample of a question already
    /// counted (rejection sampling by separate requests), neither new nor a repeat.
    @Test func noveltyFallsWhenPromptsAreRerunNotWhenResampled() {
        var sketch = AccountSketch()
        let start = 1_795_651_200.0  // a midnight (UTC)
        func send(round: Int, day: Int, temperature: Double) -> (sampled: Int, novel: Int, resampled: Int) {
            var counts = (sampled: 0, novel: 0, resampled: 0)
            for i in 0..<200 {
                let record = RequestRecord(
                    time: start + Double(day * 86400 + round * 1000 + i), account: "a", temperature: temperature,
                    messages: [ChatMessage(role: "user", text: "problem number \(i) of the benchmark")])
                let observation = sketch.absorb(record, RequestFeatures(record))
                if let isNovel = observation.novel {
                    counts.sampled += 1
                    if isNovel { counts.novel += 1 }
                }
                if observation.resampled { counts.resampled += 1 }
            }
            return counts
        }
        let first = send(round: 0, day: 0, temperature: 1)
        let n = first.sampled
        #expect(n > 20 && first.novel == n && first.resampled == 0)
        #expect(send(round: 1, day: 0, temperature: 1) == (0, 0, n))
        #expect(send(round: 2, day: 0, temperature: 0) == (n, 0, 0))
        #expect(send(round: 0, day: 1, temperature: 0.8) == (n, 0, 0))
        #expect(send(round: 1, day: 1, temperature: 0.8) == (0, 0, n))
        #expect(sketch.recentNovelty() == 0)
        // What was sent today survives encoding: a batch committed mid-day goes on where it stopped.
        sketch = try! AccountSketch(encoded: sketch.encoded())
        #expect(send(round: 2, day: 1, temperature: 1) == (0, 0, n))
    }
}
