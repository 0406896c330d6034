import Testing

@testable import SluiceCore

/// An end user becomes an entity of its own at its second request, so that ids made up for
/// every request cost no rows, and an account's end users stay bounded.
@Suite struct EndUserEntityTests {
    func record(_ i: Int, endUser: String) -> RequestRecord {
        RequestRecord(
            time: day0 + Double(i) * 30, account: "app", endUser: endUser, promptTokens: 40, completionTokens: 300,
            messages: [ChatMessage(role: "user", text: "question \(i)")])
    }

    func aggregate(_ records: [RequestRecord], stored: [String: AccountSketch] = [:]) -> BatchAggregate {
        var aggregate = BatchAggregate()
        for record in records { aggregate.add(record, features: RequestFeatures(record)) { stored[$0] } }
        return aggregate
    }

    func requests(_ aggregate: BatchAggregate, _ entity: String) -> Int64 {
        aggregate.buckets.filter { $0.key.entity == entity }.values.reduce(0) { $0 + $1[.requests] }
    }

    @Test func anIdMadeUpForEveryRequestGetsNoEntity() {
        let batch = aggregate((0..<3000).map { record($0, endUser: "made-up-\($0)") })
        // The memory keeps 16-bit fingerprints: one new id in ~250 looks like a returning one.
        #expect(batch.parents.count < 3000 / 100 && batch.sketches.count == batch.parents.count + 1)
        #expect(requests(batch, "app") == 3000)
        #expect(batch.parents.keys.allSatisfy { requests(batch, $0) == 1 })
        // The account still counts them: its end-user estimate is what the scorer weighs
        // (64 registers: a standard error of 13%).
        #expect(abs(batch.sketches["app"]!.endUsers.estimate - 3000) < 3000 * 0.4)
    }

    @Test func aReturningEndUserIsAnEntityFromItsSecondRequest() {
        // Twenty people, each back every twentieth request.
        let batch = aggregate((0..<400).map { record($0, endUser: "person-\($0 % 20)") })
        #expect(batch.parents.count == 20 && batch.parents.values.allSatisfy { $0 == "app" })
        #expect(requests(batch, "app::person-3") == 19)
        #expect(requests(batch, "app") == 400)
    }

    @Test func anEntityStoredBeforeTakesEveryRequest() {
        // The store knows the end user already (an earlier batch, or a database from before the rule).
        let batch = aggregate([record(0, endUser: "known")], stored: ["app::known": AccountSketch()])
        #expect(requests(batch, "app::known") == 1)
    }

    @Test func anEndUserForgottenBeforeItReturnsStaysTheAccountsOnly() {
        // Past the memory of once-seen end users, a first request is forgotten.
        let crowd = AccountSketch.onceSeenEndUserCapacity + 50
        let records = (0..<crowd).map { record($0, endUser: "visitor-\($0)") } + [record(crowd, endUser: "visitor-0")]
        #expect(aggregate(records).parents["app::visitor-0"] == nil)
    }

    @Test func anAccountsEndUserEntitiesAreBounded() {
        // Each made-up id sent twice in a row: the cheapest way past the rule, stopped by the limit.
        let limit = AccountSketch.endUserEntityLimit
        let records = (0..<(2 * limit + 400)).map { record($0, endUser: "twice-\($0 / 2)") }
        let batch = aggregate(records)
        #expect(batch.parents.count == limit)
        #expect(batch.sketches["app"]!.endUserEntities == limit)
        #expect(requests(batch, "app") == Int64(records.count))
    }

    @Test func theMemoryOfOnceSeenEndUsersIsStored() throws {
        var first = BatchAggregate()
        let one = record(0, endUser: "returns-later")
        first.add(one, features: RequestFeatures(one)) { _ in nil }
        let stored = try AccountSketch(encoded: first.sketches["app"]!.encoded())
        #expect(stored == first.sketches["app"]!)
        // The next batch, with the account's sketch as stored, makes the entity.
        let batch = aggregate([record(1, endUser: "returns-later")], stored: ["app": stored])
        #expect(requests(batch, "app::returns-later") == 1)
    }

    @Test func aSketchStoredBeforeTheMemoryDecodes() throws {
        var sketch = AccountSketch()
        let one = record(0, endUser: "u")
        _ = sketch.absorb(one, RequestFeatures(one))
        var bytes = sketch.encoded()
        // Version 2 ended where the once-seen end users begin (two counts, an index, no fingerprints).
        bytes.removeLast(12)
        bytes[0] = 2
        #expect(try AccountSketch(encoded: bytes) == sketch)
    }
}
